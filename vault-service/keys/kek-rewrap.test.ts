import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { query } from "../../test/support/sql-client.js";
import { startVaultHarness, type TestMerchant, type VaultHarness } from "../../test/support/vault-harness.js";
import { lookupBin } from "../cards/bin-table.js";
import { detokenize } from "../tokens/detokenize.js";
import { tokenizeCard } from "../tokens/tokens.service.js";
import { rewrapDataKeys } from "./kek-rewrap.js";
import { KEK_FILE_RECHECK_MS, SoftwareKeyProvider } from "./software-key-provider.js";

/** Card reads made by the test itself, logged like any other. */
const TEST_ACCESS = {
  paymentId: "pay_test",
  operationId: "op_test_1",
  accessor: "test",
  purpose: "authorize",
} as const;

/** KEK rotation against a real Postgres, while the vault keeps tokenizing. */
const CARDS = [
  "4242424242424242",
  "4000000000000002",
  "4000000000009995",
  "4000000000000069",
  "4000000000000119",
  "4100000000000019",
  "5555555555554444",
];

let vault: VaultHarness;
let shop: TestMerchant;
const tokens = new Map<string, string>();

interface VaultRow extends Record<string, unknown> {
  token: string;
  kek_version: string;
  wrapped_dek: Buffer;
  ciphertext: Buffer;
  rotated_at: Date | null;
}
const vaultRows = () => query<VaultRow>(vault.database.url, "select * from vault_cards order by token");

async function tokenize(number: string): Promise<string> {
  const response = await vault.tokenize(shop.publishableKey, { number, exp_month: 1, exp_year: 2031, cvc: "123" });
  expect(response.status).toBe(201);
  const id = ((await response.json()) as { id: string }).id;
  tokens.set(id, number);
  return id;
}

beforeAll(async () => {
  vault = await startVaultHarness();
  shop = await vault.createMerchant();
  for (const number of CARDS) await tokenize(number);
});

afterAll(async () => {
  await vault?.stop();
});

describe("KEK rotation", () => {
  it("rewraps every data key to the new KEK in batches, leaving the ciphertexts untouched", async () => {
    const before = await vaultRows();
    expect(new Set(before.map((row) => row.kek_version))).toEqual(new Set(["v1"]));

    // The rotation command runs in its own process with its own provider on the same key file.
    const rotator = await SoftwareKeyProvider.open({ file: vault.kekFile });
    try {
      expect(await rotator.rotate()).toBe("v2");
      const batches: number[] = [];
      const result = await rewrapDataKeys(vault.pool.db, rotator, { batchSize: 3, onBatch: (n) => batches.push(n) });
      expect(result).toEqual({ rewrapped: CARDS.length, skipped: 0, currentVersion: "v2" });
      expect(batches).toEqual([3, 6, 7]);
    } finally {
      await rotator.close();
    }

    const after = await vaultRows();
    expect(after.map((row) => row.kek_version)).toEqual(CARDS.map(() => "v2"));
    for (const [i, row] of after.entries()) {
      expect(row.rotated_at).toBeInstanceOf(Date);
      expect(row.ciphertext.equals(before[i]!.ciphertext)).toBe(true);
      expect(row.wrapped_dek.equals(before[i]!.wrapped_dek)).toBe(false);
    }
  });

  it("keeps every token decrypting in the serving vault, which never restarted", async () => {
    for (const [token, number] of tokens) {
      expect((await detokenize(vault.deps, { token, merchantId: shop.id, livemode: false }, TEST_ACCESS))?.number).toBe(
        number,
      );
    }
  });

  it("wraps new cards with the new KEK once the serving vault has seen the rotation", async () => {
    await new Promise((resolve) => setTimeout(resolve, KEK_FILE_RECHECK_MS + 50));
    const token = await tokenize("5200828282828210");
    const [row] = await query<VaultRow>(vault.database.url, "select * from vault_cards where token = $1", [token]);
    expect(row?.kek_version).toBe("v2");
    expect(vault.keys.versions()).toEqual(["v2", "v1"]);
  });

  it("finds nothing left to rewrap on a second run, and catches a card sealed under the old KEK meanwhile", async () => {
    expect((await rewrapDataKeys(vault.pool.db, vault.keys)).rewrapped).toBe(0);

    // A vault that has not yet noticed the rotation seals a card under v1.
    const v1 = (JSON.parse(readFileSync(vault.kekFile, "utf8")) as { keks: Record<string, { key: string }> }).keks.v1;
    const stale = await SoftwareKeyProvider.open({ env: `v1:${v1!.key}` });
    const late = await tokenizeCard(
      { ...vault.deps, keys: stale },
      { merchantId: shop.id, livemode: false },
      {
        number: "4242424242424242",
        expMonth: 3,
        expYear: 2032,
        cvc: "321",
        name: null,
        bin: lookupBin("4242424242424242")!,
      },
    );
    await stale.close();
    tokens.set(late.token, "4242424242424242");

    expect((await rewrapDataKeys(vault.pool.db, vault.keys)).rewrapped).toBe(1);
    expect(new Set((await vaultRows()).map((row) => row.kek_version))).toEqual(new Set(["v2"]));
    expect(
      (await detokenize(vault.deps, { token: late.token, merchantId: shop.id, livemode: false }, TEST_ACCESS))?.number,
    ).toBe("4242424242424242");
  });
});
