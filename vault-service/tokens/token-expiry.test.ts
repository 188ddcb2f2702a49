import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { query } from "../../test/support/sql-client.js";
import { startVaultHarness, type TestMerchant, type VaultHarness } from "../../test/support/vault-harness.js";
import { detokenize } from "./detokenize.js";
import { sweepUnusedTokens } from "./token-expiry.js";

/** Issue 12, item 4: a token no payment used within the window expires (real Postgres). */
let vault: VaultHarness;
let shop: TestMerchant;
const DAY = 86_400;

beforeAll(async () => {
  vault = await startVaultHarness();
  shop = await vault.createMerchant();
});

afterAll(async () => {
  await vault?.stop();
});

async function tokenAged(hours: number): Promise<string> {
  const response = await vault.tokenize(shop.publishableKey, {
    number: "4242424242424242",
    exp_month: 12,
    exp_year: 2030,
    cvc: "123",
  });
  const { id } = (await response.json()) as { id: string };
  await query(
    vault.database.url,
    `update vault_cards set created_at = now() - $2::int * interval '1 hour' where token = $1`,
    [id, hours],
  );
  return id;
}

const deps = () => ({ ...vault.deps, unusedTokenTtlSeconds: DAY });
const ref = (token: string) => ({ token, merchantId: shop.id, livemode: false });
const access = {
  paymentId: "pay_expiry",
  operationId: "op_expiry",
  accessor: "test:edge",
  purpose: "authorize" as const,
};

describe("unused tokens expire", () => {
  it("refuses a token never used within the window exactly as an unknown one", async () => {
    const stale = await tokenAged(25);
    expect(await detokenize(deps(), ref(stale), access)).toBeUndefined();
    expect(await detokenize(deps(), ref("tok_neverissued000000000000"), access)).toBeUndefined();
    expect(await detokenize(deps(), ref(await tokenAged(23)), access)).toMatchObject({ number: "4242424242424242" });
  });

  it("keeps a token once a payment has used it, however old", async () => {
    const used = await tokenAged(1);
    expect(await detokenize(deps(), ref(used), access)).toBeDefined();
    await query(vault.database.url, "update vault_cards set created_at = now() - interval '40 days' where token = $1", [
      used,
    ]);
    expect(await detokenize(deps(), ref(used), access)).toMatchObject({ number: "4242424242424242" });
  });

  it("sweeps expired tokens from both tables and leaves fresh and used ones", async () => {
    const stale = await tokenAged(30);
    const fresh = await tokenAged(2);
    const used = await tokenAged(2);
    await detokenize(deps(), ref(used), access);
    await query(vault.database.url, "update vault_cards set created_at = now() - interval '3 days' where token = $1", [
      used,
    ]);
    expect(await sweepUnusedTokens(vault.deps.db, DAY)).toBeGreaterThanOrEqual(1);
    const left = await query<{ token: string }>(
      vault.database.url,
      "select token from vault_cards where token = any($1) union all select token from card_tokens where token = any($1)",
      [[stale, fresh, used]],
    );
    expect(left.map((row) => row.token).sort()).toEqual([fresh, fresh, used, used].sort());
  });
});
