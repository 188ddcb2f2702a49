import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/free-port.js";
import { startVaultHarness, type TestMerchant, type VaultHarness } from "../../test/support/vault-harness.js";
import { createVaultApp } from "../app.js";
import { openVaultDatabase, type VaultPool } from "../db/vault-database.js";

/**
 * Postgres not there is the vault's outage, not its bug: 503 `database_unavailable` in the
 * vault's error shape (retry), logged with its cause, never a 500. `test/e2e/payments-faults.test.ts` stops the
 * stack's Postgres under tokenizations and payments for the same answer through `npm start`.
 */
let vault: VaultHarness;
let shop: TestMerchant;
let gone: VaultPool;

beforeAll(async () => {
  vault = await startVaultHarness();
  shop = await vault.createMerchant();
  // A port nothing listens on: every connection is refused.
  gone = openVaultDatabase(`postgres://vault:vault@127.0.0.1:${await freePort()}/vault`, 2);
});

afterAll(async () => {
  await gone?.close();
  await vault?.stop();
});

describe("the vault without Postgres", () => {
  it("answers a tokenization 503 database_unavailable", async () => {
    const app = createVaultApp(gone.ping, { tokenization: { ...vault.deps, db: gone.db } });
    const answer = await app.request("/v1/tokens", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${shop.publishableKey}` },
      body: JSON.stringify({ card: { number: "4242424242424242", exp_month: 12, exp_year: 2030, cvc: "123" } }),
    });
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { error: unknown }).error).toMatchObject({
      type: "api_error",
      code: "database_unavailable",
      request_id: expect.stringMatching(/^req_/),
    });
  });
});
