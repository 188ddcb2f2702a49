import { describe, expect, it } from "vitest";
import { call, expectError, liveSecretKey, newMerchant } from "./support/api.js";
import { deliver, transition } from "./support/projection.js";

const hex = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");
const at = (day: number, hour = 10) => new Date(Date.UTC(2026, 10, day, hour)).toISOString();
const seconds = (iso: string) => Date.parse(iso) / 1000;

/** A payment projected as the orchestrator would send it, with what the summary reads changed. */
async function project(
  merchantId: string,
  change: {
    status: string;
    created: string;
    currency?: string;
    processor?: string | null;
    decline_code?: string | null;
  },
  livemode = false,
) {
  const message = transition(merchantId, `pay_${hex()}`, 1, change.status, "processing", livemode);
  Object.assign(message.payment, {
    created_at: change.created,
    ...(change.currency ? { currency: change.currency } : {}),
    ...(change.processor !== undefined ? { processor: change.processor } : {}),
    ...(change.decline_code !== undefined ? { decline_code: change.decline_code } : {}),
  });
  await deliver([message]);
}

describe("GET /v1/payments/summary (summed in Postgres from the projection)", () => {
  it("sums every payment in the range: counts, volume per currency, declines, processors and every day", async () => {
    const mine = await newMerchant();
    const other = await newMerchant();
    await project(mine.id, { status: "captured", created: at(20), processor: "acquirer_a" });
    await project(mine.id, { status: "partially_refunded", created: at(20, 23), processor: "acquirer_a" });
    await project(mine.id, { status: "captured", created: at(22), currency: "EUR", processor: "acquirer_b" });
    await project(mine.id, {
      status: "failed",
      created: at(22),
      processor: "acquirer_a",
      decline_code: "insufficient_funds",
    });
    await project(mine.id, { status: "failed", created: at(22), processor: null, decline_code: "card_not_supported" });
    await project(mine.id, {
      status: "failed",
      created: at(22),
      processor: "acquirer_b",
      decline_code: "insufficient_funds",
    });
    await project(mine.id, { status: "processing", created: at(23) });
    // Outside the range, in the other mode, or another merchant's: never counted.
    await project(mine.id, { status: "captured", created: at(19, 23) });
    await project(mine.id, { status: "captured", created: at(24) });
    await project(mine.id, { status: "captured", created: at(21) }, true);
    await project(other.id, { status: "captured", created: at(21) });

    const query = `created[gte]=${seconds(at(20, 0))}&created[lt]=${seconds(at(24, 0))}`;
    const summary = await call("GET", `/v1/payments/summary?${query}`, { key: mine.secretKey });
    expect(summary.status).toBe(200);
    expect(summary.json).toEqual({
      object: "payment_summary",
      livemode: false,
      created_gte: seconds(at(20, 0)),
      created_lt: seconds(at(24, 0)),
      count: 7,
      approved: 3,
      declined: 3,
      volume: [
        { currency: "usd", captured: 2_000, refunded: 400, net: 1_600 },
        { currency: "eur", captured: 1_000, refunded: 0, net: 1_000 },
      ],
      declines_by_code: [
        { decline_code: "insufficient_funds", count: 2 },
        { decline_code: "card_not_supported", count: 1 },
      ],
      processors: [
        { processor: "acquirer_a", count: 3, approved: 2, declined: 1 },
        { processor: "acquirer_b", count: 2, approved: 1, declined: 1 },
        { processor: "none", count: 1, approved: 0, declined: 1 },
      ],
      days: [
        { day: "2026-11-20", count: 2 },
        { day: "2026-11-21", count: 0 },
        { day: "2026-11-22", count: 4 },
        { day: "2026-11-23", count: 1 },
      ],
    });

    const live = await call("GET", `/v1/payments/summary?${query}`, { key: (await liveSecretKey(mine.id)).secret });
    expect(live.json).toMatchObject({
      livemode: true,
      count: 1,
      approved: 1,
      volume: [{ currency: "usd", net: 1_000 }],
    });
    const theirs = await call("GET", `/v1/payments/summary?${query}`, { key: other.secretKey });
    expect(theirs.json).toMatchObject({
      count: 1,
      approved: 1,
      declined: 0,
      volume: [{ currency: "usd", net: 1_000 }],
    });
  });

  it("refuses a range it cannot sum, naming the parameter", async () => {
    const { secretKey } = await newMerchant();
    const now = Math.floor(Date.now() / 1000);
    const refused = async (query: string, param: string) =>
      expectError(
        await call("GET", `/v1/payments/summary${query}`, { key: secretKey }),
        400,
        "invalid_request_error",
        param,
      );
    await refused("", "created[gte]");
    await refused(`?created[gte]=${now}&created[lt]=${now}`, "created[lt]");
    await refused(`?created[gte]=${now - 93 * 86_400}&created[lt]=${now}`, "created[lt]");
    await refused(`?created[gte]=${now - 93 * 86_400}`, "created[gte]");
    await refused(`?created[gte]=yesterday`, "created[gte]");
    // Past year 9999 no Date exists: refused by name, never a 500 (the list's filter the same).
    await refused(`?created[gte]=99999999999999`, "created[gte]");
    expectError(
      await call("GET", "/v1/payments?created[lte]=99999999999999", { key: secretKey }),
      400,
      "invalid_request_error",
      "created[lte]",
    );
    await refused(`?created[gte]=${now}&merchant=acct_other`, "merchant");
    const recent = await call("GET", `/v1/payments/summary?created[gte]=${now - 3 * 86_400}`, { key: secretKey });
    expect(recent.status).toBe(200);
    expect(recent.json.days.length).toBeGreaterThanOrEqual(3);
  });
});
