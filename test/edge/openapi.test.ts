import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ApiKey } from "../../workers/api-keys/api-keys.openapi.js";
import { app } from "../../workers/app.js";
import { Event } from "../../workers/events/events.openapi.js";
import { Merchant } from "../../workers/merchants/merchants.openapi.js";
import { Payment, Refund } from "../../workers/payments/payments.openapi.js";
import { WebhookEndpoint } from "../../workers/webhooks/webhook-endpoints.openapi.js";
import { BASE, call, newMerchant } from "./support/api.js";
import { deliver, transition } from "./support/projection.js";

/**
 * Routes mounted only for the benchmark (BENCH_ROUTES=on) and the local fault campaign
 * (CHAOS_ROUTES=on); 404 everywhere else, so not public.
 */
const NOT_PUBLIC = ["/bench/", "/v1/ops/chaos/"];

/** `METHOD /path/{param}` for every route the app serves (middleware entries are `ALL`). */
function servedRoutes(): string[] {
  const routes = app.routes
    .filter((route) => route.method !== "ALL" && !NOT_PUBLIC.some((prefix) => route.path.startsWith(prefix)))
    .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, "{$1}")}`);
  return [...new Set(routes)].sort();
}

async function documentFromTheWorker() {
  const response = await SELF.fetch(`${BASE}/v1/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toContain("application/json");
  return (await response.json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
}

describe("the API reference", () => {
  it("serves an OpenAPI 3.1 document listing every route the gateway serves, and only those", async () => {
    const document = await documentFromTheWorker();
    expect(document.openapi).toMatch(/^3\.1\./);
    const documented = Object.entries(document.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(servedRoutes().length).toBeGreaterThan(30);
    expect(documented).toEqual(servedRoutes());
  });

  it("renders /docs: every operation and object, with a console script its CSP allows by hash", async () => {
    const document = await documentFromTheWorker();
    const response = await SELF.fetch(`${BASE}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/html");
    const html = await response.text();
    for (const methods of Object.values(document.paths)) {
      for (const op of Object.values(methods)) expect(html).toContain(`id="${op.operationId}"`);
    }
    expect(html).toContain('id="schema-Payment"');
    expect(html).toContain('id="webhook_payment_captured"');
    const policy = response.headers.get("Content-Security-Policy") ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain("unsafe-inline");
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? "";
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(script));
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    expect(policy).toContain(`script-src 'sha256-${hash}'`);
  });

  it("serves an older version's document on ?api_version=, and refuses an unknown one naming it", async () => {
    const old = await SELF.fetch(`${BASE}/v1/openapi.json?api_version=2026-11-01`);
    const document = (await old.json()) as {
      info: { version: string };
      components: { schemas: Record<string, { properties: object }> };
    };
    expect(document.info.version).toBe("2026-11-01");
    expect(Object.keys(document.components.schemas.Payment!.properties)).toContain("customer_id");
    const docs = await SELF.fetch(`${BASE}/docs?api_version=2026-11-01`);
    expect(await docs.text()).toContain("version 2026-11-01");
    const unknown = await call("GET", "/v1/openapi.json?api_version=1999-01-01");
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.param).toBe("api_version");
  });

  it("describes what the API really answers (strict schemas: a field added or missing fails)", async () => {
    const { id, secretKey, merchant } = await newMerchant();
    Merchant.parse((await call("GET", "/v1/merchant", { key: secretKey })).json);
    expect(() => ApiKey.parse(merchant.keys.secret)).not.toThrow();
    ApiKey.parse((await call("POST", "/v1/api_keys", { key: secretKey, body: { type: "secret" } })).json);
    WebhookEndpoint.parse(
      (
        await call("POST", "/v1/webhook_endpoints", {
          key: secretKey,
          body: { url: "https://shop.example/hooks", enabled_events: ["*"] },
        })
      ).json,
    );

    const paymentId = `pay_${"b".repeat(64)}`;
    const refunded = transition(id, paymentId, 3, "partially_refunded", "captured");
    const refundId = `re_${"c".repeat(32)}`; // the orchestrator's form: re_ and hex
    refunded.refunds[0]!.id = refundId;
    await deliver([transition(id, paymentId, 1, "authorized", "created"), refunded]);
    const payments = await call("GET", "/v1/payments", { key: secretKey });
    expect(payments.json.data).toHaveLength(1);
    Payment.parse(payments.json.data[0]);
    Refund.parse((await call("GET", `/v1/refunds/${refundId}`, { key: secretKey })).json);
    const events = await call("GET", "/v1/events", { key: secretKey });
    expect(events.json.data.length).toBeGreaterThan(0);
    for (const event of events.json.data) {
      Event.parse(event);
      (event.data.object.object === "refund" ? Refund : Payment).parse(event.data.object);
    }
  });
});
