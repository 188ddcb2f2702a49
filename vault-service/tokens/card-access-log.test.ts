import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { query } from "../../test/support/sql-client.js";
import { type InternalApiKit, operationId, PAN, startInternalApiKit } from "../internal/internal-api.test-kit.js";

/**
 * PCI DSS 10.2.1.1: every access to cardholder data leaves a row in `vault_card_access_log`,
 * written by the vault itself, that nobody (the vault included) can change or remove afterwards.
 */
let kit: InternalApiKit;
const rowsFor = (token: string) =>
  query(kit.harness.database.url, "select * from vault_card_access_log where token = $1 order by id", [token]);

beforeAll(async () => {
  kit = await startInternalApiKit();
});

afterAll(async () => {
  await kit?.stop();
});

describe("the vault's card access log", () => {
  it("gets one row per authorization that decrypts a card: token, merchant, payment, caller, purpose, time", async () => {
    const token = await kit.tokenize(PAN, "739");
    const id = operationId("pay_accesslog");
    const before = Date.now();
    const response = await kit.api.call("authorize", {
      operation_id: id,
      deadline: Date.now() + 25_000,
      merchant_id: kit.merchant.id,
      payment_id: "pay_accesslog",
      livemode: false,
      token,
      amount: 1_999,
      currency: "USD",
      capture: false,
    });
    expect(response.status).toBe(200);
    const rows = await rowsFor(token);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(Object.keys(row!).sort()).toEqual(
      ["accessed_at", "accessor", "id", "merchant_id", "operation_id", "payment_id", "purpose", "token"].sort(),
    );
    expect(row).toMatchObject({
      token,
      merchant_id: kit.merchant.id,
      payment_id: "pay_accesslog",
      operation_id: id,
      accessor: "gateway-edge:pay_accesslog",
      purpose: "authorize",
    });
    expect((row!.accessed_at as Date).getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(JSON.stringify(row)).not.toContain(PAN);
    // A three-digit CVC can turn up by chance inside a random token or a timestamp, so the check is
    // that no column holds it, not that the digits never appear anywhere in the row.
    expect(Object.values(row!).map(String)).not.toContain("739");
  });

  it("gets no row when the merchant has no such token: nothing was decrypted", async () => {
    const token = await kit.tokenize();
    const other = await kit.harness.createMerchant();
    const response = await kit.api.call("authorize", {
      operation_id: operationId("pay_stranger"),
      deadline: Date.now() + 25_000,
      merchant_id: other.id,
      payment_id: "pay_stranger",
      livemode: false,
      token,
      amount: 100,
      currency: "USD",
      capture: false,
    });
    expect(response.status).toBe(404);
    expect(await rowsFor(token)).toHaveLength(0);
  });

  it("refuses UPDATE, DELETE and TRUNCATE on the log, whoever asks", async () => {
    const token = await kit.tokenize();
    await kit.api.authorize(token);
    expect(await rowsFor(token)).toHaveLength(1);
    const url = kit.harness.database.url;
    await expect(
      query(url, "update vault_card_access_log set payment_id = 'pay_other' where token = $1", [token]),
    ).rejects.toThrow(/append-only/);
    await expect(query(url, "delete from vault_card_access_log where token = $1", [token])).rejects.toThrow(
      /append-only/,
    );
    await expect(query(url, "truncate vault_card_access_log")).rejects.toThrow(/append-only/);
    expect(await rowsFor(token)).toMatchObject([{ token, payment_id: "pay_test" }]);
  });
});
