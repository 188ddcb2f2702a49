import { describe, expect, it } from "vitest";
import { call, expectError, newMerchant } from "./support/api.js";
import { sql } from "./support/database.js";

describe("API key authentication", () => {
  it("accepts a secret key as a bearer token and as the HTTP Basic user name", async () => {
    const { id, secretKey } = await newMerchant();
    const bearer = await call("GET", "/v1/merchant", { key: secretKey });
    expect(bearer.status).toBe(200);
    expect(bearer.json).toMatchObject({ id, object: "merchant" });
    const basic = await call("GET", "/v1/merchant", { headers: { Authorization: `Basic ${btoa(`${secretKey}:`)}` } });
    expect(basic.status).toBe(200);
    expect(basic.json.id).toBe(id);
  });

  it("answers 401 authentication_error with no key, a malformed key, or an unknown key", async () => {
    expectError(await call("GET", "/v1/merchant"), 401, "authentication_error");
    expectError(await call("GET", "/v1/merchant", { key: "sk_test_short" }), 401, "authentication_error");
    const unknown = await call("GET", "/v1/merchant", { key: `sk_test_${"x".repeat(32)}` });
    expectError(unknown, 401, "authentication_error");
    expect(unknown.json.error.code).toBe("api_key_invalid");
    expect(unknown.headers.get("WWW-Authenticate")).toContain("Bearer");
  });

  it("refuses a publishable key on secret-key routes", async () => {
    const { publishableKey } = await newMerchant();
    const response = await call("GET", "/v1/merchant", { key: publishableKey });
    expectError(response, 401, "authentication_error");
    expect(response.json.error.code).toBe("publishable_key_not_allowed");
  });

  it("stops a revoked key at once in the isolate that revoked it", async () => {
    const { secretKey } = await newMerchant();
    const second = await call("POST", "/v1/api_keys", { key: secretKey, body: { type: "secret", name: "ci" } });
    expect(second.status).toBe(201);
    // Warm the cache with the key that is about to be revoked.
    expect((await call("GET", "/v1/merchant", { key: second.json.secret })).status).toBe(200);
    const revoked = await call("POST", `/v1/api_keys/${second.json.id}/revoke`, { key: secretKey });
    expect(revoked.status).toBe(200);
    expect(revoked.json.status).toBe("revoked");
    const after = await call("GET", "/v1/merchant", { key: second.json.secret });
    expectError(after, 401, "authentication_error");
    expect(after.json.error.code).toBe("api_key_expired");
  });

  it("stores only a keyed hash of each key, never the key", async () => {
    const { id, secretKey, publishableKey } = await newMerchant();
    const rows = await sql<{ row: string }>(
      "select row_to_json(k)::text as row from api_keys k where merchant_id = $1",
      [id],
    );
    expect(rows).toHaveLength(2);
    for (const { row } of rows) {
      expect(row).not.toContain(secretKey);
      expect(row).not.toContain(publishableKey);
      expect(row).not.toContain(secretKey.slice(8, 28));
    }
  });
});

describe("per-key IP allowlist", () => {
  it("admits addresses inside the allowlist and refuses others with 403, for IPv4 and IPv6", async () => {
    const { secretKey } = await newMerchant();
    const restricted = await call("POST", "/v1/api_keys", {
      key: secretKey,
      body: { type: "secret", allowed_ips: ["203.0.113.0/24", "2001:db8:abcd::/48"] },
    });
    expect(restricted.status).toBe(201);
    const key = restricted.json.secret as string;
    const from = (ip?: string) => call("GET", "/v1/merchant", { key, headers: ip ? { "CF-Connecting-IP": ip } : {} });

    expect((await from("203.0.113.77")).status).toBe(200);
    expect((await from("::ffff:203.0.113.9")).status).toBe(200);
    expect((await from("2001:db8:abcd:12::1")).status).toBe(200);
    expectError(await from("198.51.100.1"), 403, "authentication_error");
    expectError(await from("2001:db8:abce::1"), 403, "authentication_error");
    expectError(await from(undefined), 403, "authentication_error");
    // The unrestricted key of the same merchant is not affected.
    expect(
      (await call("GET", "/v1/merchant", { key: secretKey, headers: { "CF-Connecting-IP": "198.51.100.1" } })).status,
    ).toBe(200);
  });

  it("rejects an allowlist entry that is not an address or CIDR block, naming it", async () => {
    const { secretKey } = await newMerchant();
    const response = await call("POST", "/v1/api_keys", {
      key: secretKey,
      body: { type: "secret", allowed_ips: ["203.0.113.0/24", "203.0.113.5/24"] },
    });
    expectError(response, 400, "invalid_request_error", "allowed_ips[1]");
  });
});
