import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startVaultHarness, type TestMerchant, type VaultHarness } from "../../test/support/vault-harness.js";
import { createVaultApp } from "../app.js";
import { TokenBuckets } from "../rate-limits/token-buckets.js";

/**
 * `POST /v1/tokens` with the limits `main.ts` sets (small ones here), against a real Postgres
 * (issue 12, item 4): per publishable key, and per client address before authentication.
 */
let vault: VaultHarness;
let shop: TestMerchant;
let other: TestMerchant;

beforeAll(async () => {
  vault = await startVaultHarness();
  shop = await vault.createMerchant();
  other = await vault.createMerchant();
});

afterAll(async () => {
  await vault?.stop();
});

const card = { number: "4242424242424242", exp_month: 12, exp_year: 2030, cvc: "123" };

function limitedApp(perKey: number, perClient: number) {
  const limits = {
    perKey: new TokenBuckets({ perSecond: 0.001, burst: perKey }),
    perClient: new TokenBuckets({ perSecond: 0.001, burst: perClient }),
  };
  const app = createVaultApp(vault.pool.ping, { tokenization: { ...vault.deps, limits } });
  return (key: string) =>
    app.request("/v1/tokens", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
      body: JSON.stringify({ card }),
    });
}

describe("POST /v1/tokens rate limits", () => {
  it("answers 429 with Retry-After in the vault's error shape once a key's bucket is empty", async () => {
    const tokenize = limitedApp(3, 100);
    for (let i = 0; i < 3; i++) expect((await tokenize(shop.publishableKey)).status).toBe(201);
    const refused = await tokenize(shop.publishableKey);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: unknown }).error).toMatchObject({
      type: "rate_limit_error",
      code: "rate_limit_error",
      request_id: expect.stringMatching(/^req_/),
    });
    expect((await tokenize(other.publishableKey)).status).toBe(201);
  });

  it("limits a client by address before authentication, so unknown keys cost no lookup", async () => {
    const tokenize = limitedApp(100, 2);
    expect((await tokenize(`pk_test_${"0".repeat(32)}`)).status).toBe(401);
    expect((await tokenize(`pk_test_${"1".repeat(32)}`)).status).toBe(401);
    const refused = await tokenize(shop.publishableKey);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).not.toBeNull();
  });
});
