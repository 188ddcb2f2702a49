import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../workers/index.js";
import { BASE, call, newMerchant } from "./support/api.js";
import { cardToken } from "./support/card-tokens.js";
import { approvingVault } from "./support/fake-vault.js";

/**
 * Issue 17, item 2: where an answer's time went, as a W3C `Server-Timing` header
 * (https://www.w3.org/TR/server-timing/) on every answer when SERVER_TIMING is "on" (wrangler.toml's
 * development environment, which this tier runs), and on none when it is "off" (staging, production).
 */

/** The header's metrics as name -> milliseconds, checking each is `name;dur=<ms, one decimal>`. */
function metrics(header: string | null): Map<string, number> {
  expect(header).not.toBeNull();
  const parsed = new Map<string, number>();
  for (const metric of (header as string).split(", ")) {
    const match = /^([a-z]+);dur=(\d+\.\d)$/.exec(metric);
    expect(match, metric).not.toBeNull();
    parsed.set(match![1]!, Number(match![2]));
  }
  return parsed;
}

const payment = (token: string) => ({
  amount: 1_000,
  currency: "usd",
  payment_method: { type: "card", token },
  capture_method: "automatic",
});

describe("Server-Timing", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("splits a payment create into its stages, in order, which add up to no more than the whole", async () => {
    const { id, secretKey } = await newMerchant();
    const token = await cardToken(id);
    const asked = approvingVault();
    const created = await call("POST", "/v1/payments", { key: secretKey, body: payment(token) });
    expect(created.status).toBe(200);
    expect(asked.map((one) => one.path)).toEqual(["authorize"]);
    const stages = metrics(created.headers.get("Server-Timing"));
    // The vault's time is the object's own report, merged: the object's stage is what is left.
    expect([...stages.keys()]).toEqual(["auth", "ratelimit", "validation", "storage", "object", "vault", "total"]);
    const parts = [...stages].filter(([name]) => name !== "total").reduce((sum, [, ms]) => sum + ms, 0);
    // Each figure is rounded to 0.1 ms: six of them may gain 0.3 ms between them.
    expect(parts).toBeLessThanOrEqual(stages.get("total")! + 0.3);
  });

  it("is on error answers too, with the stages that ran before the error", async () => {
    const { secretKey } = await newMerchant();
    const refused = await call("POST", "/v1/payments", {
      key: secretKey,
      body: { ...payment("tok_nope"), amount: 10.5 },
    });
    expect(refused.status).toBe(400);
    expect([...metrics(refused.headers.get("Server-Timing")).keys()]).toEqual([
      "auth",
      "ratelimit",
      "validation",
      "total",
    ]);
    const anonymous = await call("GET", "/v1/payments");
    expect(anonymous.status).toBe(401);
    expect([...metrics(anonymous.headers.get("Server-Timing")).keys()]).toEqual(["auth", "total"]);
  });

  it("is absent when SERVER_TIMING is off, as in staging and production", async () => {
    const { id, secretKey } = await newMerchant();
    const token = await cardToken(id);
    approvingVault();
    const request = new Request(`${BASE}/v1/payments`, {
      method: "POST",
      headers: { Authorization: `Bearer ${secretKey}`, "Content-Type": "application/json" },
      body: JSON.stringify(payment(token)),
    });
    const ctx = createExecutionContext();
    const response = await worker.fetch(
      request as Request<unknown, IncomingRequestCfProperties>,
      { ...env, SERVER_TIMING: "off" } as Env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(200);
    expect(response.headers.has("Server-Timing")).toBe(false);
    expect(response.headers.has("Request-Id")).toBe(true);
  });

  it("needs no CORS exposure: the API answers browsers with no CORS headers at all", async () => {
    // Browsers reach only the vault (pay.js); if the API ever answers with CORS, its
    // Access-Control-Expose-Headers must list Server-Timing, and this test is where to say so.
    const { secretKey } = await newMerchant();
    const answer = await call("GET", "/v1/payments", { key: secretKey, headers: { Origin: "https://shop.example" } });
    expect(answer.status).toBe(200);
    expect(answer.headers.has("Server-Timing")).toBe(true);
    expect([...answer.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
  });
});
