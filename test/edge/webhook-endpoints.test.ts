import { describe, expect, it } from "vitest";
import { call, expectError, newMerchant } from "./support/api.js";
import { sql } from "./support/database.js";

const RECEIVER = "http://127.0.0.1:9/hooks"; // nothing listens: deliveries made meanwhile fail fast

describe("webhook endpoints", () => {
  it("are registered with their secret shown once and stored only encrypted", async () => {
    const { secretKey } = await newMerchant();
    const created = await call("POST", "/v1/webhook_endpoints", {
      key: secretKey,
      body: { url: RECEIVER, enabled_events: ["payment.captured", "refund.processed"], description: "orders" },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      object: "webhook_endpoint",
      livemode: false,
      url: RECEIVER,
      enabled_events: ["payment.captured", "refund.processed"],
      status: "enabled",
      description: "orders",
    });
    const secret = created.json.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const read = await call("GET", `/v1/webhook_endpoints/${created.json.id}`, { key: secretKey });
    expect(read.status).toBe(200);
    expect(read.json.secret).toBeUndefined();
    const listed = await call("GET", "/v1/webhook_endpoints", { key: secretKey });
    expect(listed.json.data.map((endpoint: { id: string }) => endpoint.id)).toEqual([created.json.id]);
    expect(JSON.stringify(listed.json)).not.toContain(secret);

    const [row] = await sql<{ secret_ciphertext: string }>(
      "select secret_ciphertext from webhook_endpoints where id = $1",
      [created.json.id],
    );
    expect(row?.secret_ciphertext).toMatch(/^v1\./);
    const dump = JSON.stringify(await sql("select * from webhook_endpoints"));
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(secret.slice("whsec_".length));
  });

  it("refuse bad input naming the parameter, and write nothing", async () => {
    const { secretKey, id: merchantId } = await newMerchant();
    const post = (body: unknown) => call("POST", "/v1/webhook_endpoints", { key: secretKey, body });
    expectError(await post({ url: "ftp://x.example", enabled_events: ["*"] }), 400, "invalid_request_error", "url");
    expectError(await post({ url: "not a url", enabled_events: ["*"] }), 400, "invalid_request_error", "url");
    expectError(
      await post({ url: RECEIVER, enabled_events: ["payment.teleported"] }),
      400,
      "invalid_request_error",
      "enabled_events[0]",
    );
    expectError(await post({ url: RECEIVER, enabled_events: [] }), 400, "invalid_request_error", "enabled_events");
    expectError(
      await post({ url: RECEIVER, enabled_events: ["*"], secret: "mine" }),
      400,
      "invalid_request_error",
      "secret",
    );
    const rows = await sql("select id from webhook_endpoints where merchant_id = $1", [merchantId]);
    expect(rows).toEqual([]);
  });

  it("are updated, disabled, rotated and deleted by their merchant only", async () => {
    const owner = await newMerchant();
    const other = await newMerchant();
    const created = await call("POST", "/v1/webhook_endpoints", {
      key: owner.secretKey,
      body: { url: RECEIVER, enabled_events: ["*"] },
    });
    const path = `/v1/webhook_endpoints/${created.json.id}`;

    for (const [method, suffix, body] of [
      ["GET", "", undefined],
      ["POST", "", { disabled: true }],
      ["POST", "/rotate_secret", {}],
      ["GET", "/deliveries", undefined],
      ["DELETE", "", undefined],
    ] as const) {
      expectError(await call(method, `${path}${suffix}`, { key: other.secretKey, body }), 404, "invalid_request_error");
    }

    const disabled = await call("POST", path, {
      key: owner.secretKey,
      body: { disabled: true, enabled_events: ["payment.failed"] },
    });
    expect(disabled.json).toMatchObject({
      status: "disabled",
      disabled_reason: "merchant",
      enabled_events: ["payment.failed"],
    });
    const enabled = await call("POST", path, { key: owner.secretKey, body: { disabled: false } });
    expect(enabled.json).toMatchObject({ status: "enabled", disabled_reason: null });

    const rotated = await call("POST", `${path}/rotate_secret`, {
      key: owner.secretKey,
      body: { expire_previous_in_seconds: 3600 },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(created.json.secret);
    expect(rotated.json.previous_secret_expires).toBeGreaterThan(Date.now() / 1000 + 3500);

    const deleted = await call("DELETE", path, { key: owner.secretKey });
    expect(deleted.json).toEqual({ id: created.json.id, object: "webhook_endpoint", deleted: true });
    expectError(await call("GET", path, { key: owner.secretKey }), 404, "invalid_request_error", "id");
  });
});
