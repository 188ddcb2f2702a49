import { describe, expect, it } from "vitest";
import { call, expectError, newMerchant } from "./support/api.js";
import { deliver, transition } from "./support/projection.js";

describe("GET /v1/payments and GET /v1/refunds/{id} (from the Postgres projection)", () => {
  it("lists a merchant's payments newest first, with filters and a cursor, and only its own", async () => {
    const mine = await newMerchant();
    const other = await newMerchant();
    const hex = () =>
      Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");
    const ids = [1, 2, 3].map(() => `pay_${hex()}`);
    for (const [i, id] of ids.entries()) {
      const created = transition(mine.id, id, 1, "processing", "created");
      created.payment.created_at = new Date(Date.UTC(2026, 10, 25, 10, i)).toISOString();
      await deliver([created]);
    }
    await deliver([transition(mine.id, ids[2]!, 4, "partially_refunded", "captured")]);
    await deliver([transition(other.id, `pay_${hex()}`, 1, "processing", "created")]);

    const page = await call("GET", "/v1/payments?limit=2", { key: mine.secretKey });
    expect(page.status).toBe(200);
    expect(page.json.has_more).toBe(true);
    expect(page.json.data.map((p: { id: string }) => p.id)).toEqual([ids[2], ids[1]]);
    expect(page.json.data[0]).toMatchObject({ status: "partially_refunded", amount_refunded: 400, currency: "usd" });
    expect(page.json.data[0].refunds).toHaveLength(1);
    const rest = await call("GET", `/v1/payments?limit=2&starting_after=${ids[1]}`, { key: mine.secretKey });
    expect(rest.json.data.map((p: { id: string }) => p.id)).toEqual([ids[0]]);

    const filtered = await call("GET", "/v1/payments?status=partially_refunded", { key: mine.secretKey });
    expect(filtered.json.data.map((p: { id: string }) => p.id)).toEqual([ids[2]]);
    const ranged = await call(
      "GET",
      `/v1/payments?created[gte]=${Date.UTC(2026, 10, 25, 10, 1) / 1000}&created[lte]=${Date.UTC(2026, 10, 25, 10, 1) / 1000}`,
      { key: mine.secretKey },
    );
    expect(ranged.json.data.map((p: { id: string }) => p.id)).toEqual([ids[1]]);
    expectError(
      await call("GET", "/v1/payments?status=lost", { key: mine.secretKey }),
      400,
      "invalid_request_error",
      "status",
    );

    const refund = await call("GET", `/v1/refunds/re_${ids[2]}`, { key: mine.secretKey });
    expect(refund.json).toMatchObject({ object: "refund", payment: ids[2], amount: 400, status: "succeeded" });
    expectError(await call("GET", `/v1/refunds/re_${ids[2]}`, { key: other.secretKey }), 404, "invalid_request_error");
  });
});
