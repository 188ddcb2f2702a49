import { describe, expect, it } from "vitest";
import { apiKeyCache } from "../../workers/api-keys/api-key-cache.js";
import { call, expectError, newMerchant, opsToken } from "./support/api.js";
import { sql } from "./support/database.js";

describe("a merchant's API keys", () => {
  it("creates, lists (newest first, paginated) and reads keys without ever showing them again", async () => {
    const { secretKey } = await newMerchant();
    const made = await call("POST", "/v1/api_keys", { key: secretKey, body: { type: "publishable", name: "web" } });
    expect(made.status).toBe(201);
    expect(made.json.secret).toMatch(/^pk_test_/);
    expect(made.json.redacted).toBe(`pk_test_...${made.json.secret.slice(-4)}`);

    const page = await call("GET", "/v1/api_keys?limit=2", { key: secretKey });
    expect(page.status).toBe(200);
    expect(page.json).toMatchObject({ object: "list", has_more: true });
    expect(page.json.data).toHaveLength(2);
    expect(page.json.data[0].id).toBe(made.json.id);
    expect(JSON.stringify(page.json)).not.toContain(made.json.secret);
    const rest = await call("GET", `/v1/api_keys?limit=2&starting_after=${page.json.data[1].id}`, { key: secretKey });
    expect(rest.json.has_more).toBe(false);
    expect(rest.json.data).toHaveLength(1);

    const one = await call("GET", `/v1/api_keys/${made.json.id}`, { key: secretKey });
    expect(one.json).toMatchObject({ id: made.json.id, type: "publishable", status: "active" });
    expect(one.json.secret).toBeUndefined();
    expectError(await call("GET", "/v1/api_keys?limit=500", { key: secretKey }), 400, "invalid_request_error", "limit");
  });

  it("rolls a key: the successor works at once, the old one until the chosen overlap ends", async () => {
    const { secretKey, secretKeyId } = await newMerchant();
    const rolled = await call("POST", `/v1/api_keys/${secretKeyId}/roll`, {
      key: secretKey,
      body: { expires_in_seconds: 2 },
    });
    expect(rolled.status).toBe(201);
    expect(rolled.json.secret).toMatch(/^sk_test_/);
    expect(rolled.json.previous).toMatchObject({ id: secretKeyId, status: "expiring", rolled_to: rolled.json.id });
    const successor = rolled.json.secret as string;

    expect((await call("GET", "/v1/merchant", { key: secretKey })).status).toBe(200);
    expect((await call("GET", "/v1/merchant", { key: successor })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expectError(await call("GET", "/v1/merchant", { key: secretKey }), 401, "authentication_error");
    expect((await call("GET", "/v1/merchant", { key: successor })).status).toBe(200);
    const again = await call("POST", `/v1/api_keys/${secretKeyId}/roll`, { key: successor });
    expectError(again, 400, "invalid_request_error", "id");
  });

  it("rolls with no overlap by default: the old key stops at once", async () => {
    const { secretKey, secretKeyId } = await newMerchant();
    const rolled = await call("POST", `/v1/api_keys/${secretKeyId}/roll`, { key: secretKey });
    expect(rolled.status).toBe(201);
    expectError(await call("GET", "/v1/merchant", { key: secretKey }), 401, "authentication_error");
    expect((await call("GET", "/v1/merchant", { key: rolled.json.secret })).status).toBe(200);
  });

  it("stops a key revoked elsewhere once the cache entry lapses (bounded staleness)", async () => {
    const { secretKey } = await newMerchant();
    const other = await call("POST", "/v1/api_keys", { key: secretKey, body: { type: "secret" } });
    expect((await call("GET", "/v1/merchant", { key: other.json.secret })).status).toBe(200);
    // Another isolate revokes it: Postgres changes, this isolate's cache does not hear of it.
    await sql("update api_keys set revoked_at = now() where id = $1", [other.json.id]);
    expect((await call("GET", "/v1/merchant", { key: other.json.secret })).status).toBe(200);
    apiKeyCache.clear(); // what the TTL (at most 60 s) does to every entry
    expectError(await call("GET", "/v1/merchant", { key: other.json.secret }), 401, "authentication_error");
  });

  it("hides another merchant's keys: read, roll and revoke answer 404", async () => {
    const a = await newMerchant();
    const b = await newMerchant();
    for (const [method, path] of [
      ["GET", `/v1/api_keys/${b.secretKeyId}`],
      ["POST", `/v1/api_keys/${b.secretKeyId}/roll`],
      ["POST", `/v1/api_keys/${b.secretKeyId}/revoke`],
    ] as const) {
      const response = await call(method, path, { key: a.secretKey });
      expectError(response, 404, "invalid_request_error");
      expect(response.json.error.code).toBe("resource_missing");
    }
    expect((await call("GET", "/v1/merchant", { key: b.secretKey })).status).toBe(200);
    const listed = await call("GET", "/v1/api_keys", { key: a.secretKey });
    expect(listed.json.data.map((key: { id: string }) => key.id)).not.toContain(b.secretKeyId);
  });

  it("lets ops issue a live-mode key, which merchants cannot mint for themselves", async () => {
    const { id, secretKey } = await newMerchant();
    const live = await call("POST", `/v1/merchants/${id}/api_keys`, {
      bearer: await opsToken(),
      body: { type: "secret", livemode: true },
    });
    expect(live.status).toBe(201);
    expect(live.json.secret).toMatch(/^sk_live_/);
    const own = await call("POST", "/v1/api_keys", { key: secretKey, body: { type: "secret", livemode: true } });
    expectError(own, 400, "invalid_request_error", "livemode");
    expect((await call("GET", "/v1/merchant", { key: live.json.secret })).json.id).toBe(id);
    // A key takes the mode of the key that makes it: the live key mints live keys.
    const minted = await call("POST", "/v1/api_keys", { key: live.json.secret, body: { type: "publishable" } });
    expect(minted.json).toMatchObject({ livemode: true, redacted: expect.stringMatching(/^pk_live_/) });
    expect(minted.json.secret).toMatch(/^pk_live_/);
    const rolled = await call("POST", `/v1/api_keys/${live.json.id}/roll`, { key: live.json.secret });
    expect(rolled.json.secret).toMatch(/^sk_live_/);
  });
});
