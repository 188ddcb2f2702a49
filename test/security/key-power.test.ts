import { describe, expect, it } from "vitest";
import { call, expectError, newMerchant } from "../edge/support/api.js";

/**
 * Issue 12, item 6: a key cannot mint a key more powerful than itself. An attacker holding a key
 * pinned to an office network, or an old key in its roll-over overlap, must not walk away with a
 * fresh key usable from anywhere, or for longer.
 */
const OFFICE = "198.51.100.7";

async function pinnedKey() {
  const { secretKey } = await newMerchant();
  const pinned = await call("POST", "/v1/api_keys", {
    key: secretKey,
    body: { type: "secret", allowed_ips: ["198.51.100.0/24"] },
  });
  expect(pinned.status).toBe(201);
  return pinned.json.secret as string;
}

describe("keys cannot grow their own power", () => {
  it("gives a key made by an IP-pinned key the creator's allowlist when none is asked for", async () => {
    const pinned = await pinnedKey();
    const made = await call("POST", "/v1/api_keys", {
      key: pinned,
      headers: { "CF-Connecting-IP": OFFICE },
      body: { type: "secret" },
    });
    expect(made.status).toBe(201);
    expect(made.json.allowed_ips).toEqual(["198.51.100.0/24"]);
    const elsewhere = await call("GET", "/v1/merchant", {
      key: made.json.secret,
      headers: { "CF-Connecting-IP": "203.0.113.9" },
    });
    expect(elsewhere.status).toBe(403);
  });

  it("refuses an allowlist wider than, or outside, the creator's", async () => {
    const pinned = await pinnedKey();
    for (const [allowed, param] of [
      [["0.0.0.0/0"], "allowed_ips[0]"],
      [["198.51.100.0/25", "203.0.113.0/24"], "allowed_ips[1]"],
      [["2001:db8::/32"], "allowed_ips[0]"],
    ] as const) {
      const answer = await call("POST", "/v1/api_keys", {
        key: pinned,
        headers: { "CF-Connecting-IP": OFFICE },
        body: { type: "secret", allowed_ips: allowed },
      });
      expectError(answer, 400, "invalid_request_error", param);
    }
    const narrower = await call("POST", "/v1/api_keys", {
      key: pinned,
      headers: { "CF-Connecting-IP": OFFICE },
      body: { type: "publishable", allowed_ips: ["198.51.100.7"] },
    });
    expect(narrower.status).toBe(201);
  });

  it("lets a key in its roll-over overlap work, but not create or roll keys", async () => {
    const { secretKey, secretKeyId } = await newMerchant();
    const rolled = await call("POST", `/v1/api_keys/${secretKeyId}/roll`, {
      key: secretKey,
      body: { expires_in_seconds: 3600 },
    });
    expect(rolled.status).toBe(201);
    expect((await call("GET", "/v1/merchant", { key: secretKey })).status).toBe(200);
    expectError(
      await call("POST", "/v1/api_keys", { key: secretKey, body: { type: "secret" } }),
      403,
      "authentication_error",
    );
    expectError(
      await call("POST", `/v1/api_keys/${rolled.json.id}/roll`, { key: secretKey, body: {} }),
      403,
      "authentication_error",
    );
    const successor = await call("POST", "/v1/api_keys", { key: rolled.json.secret, body: { type: "secret" } });
    expect(successor.status).toBe(201);
  });
});
