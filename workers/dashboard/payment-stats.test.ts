import { describe, expect, it } from "vitest";
import type { PaymentSummary } from "./api-objects.js";
import { paymentStats } from "./payment-stats.js";

const SUMMARY: PaymentSummary = {
  count: 9,
  approved: 5,
  declined: 3,
  volume: [
    { currency: "usd", captured: 3_000, refunded: 1_250, net: 1_750 },
    { currency: "eur", captured: 500, refunded: 0, net: 500 },
    { currency: "gbp", captured: 700, refunded: 700, net: 0 },
  ],
  declines_by_code: [
    { decline_code: "insufficient_funds", count: 2 },
    { decline_code: "unknown", count: 1 },
  ],
  processors: [
    { processor: "acquirer_a", count: 7, approved: 5, declined: 2 },
    { processor: "acquirer_b", count: 1, approved: 0, declined: 1 },
  ],
  days: [
    { day: "2026-11-30", count: 0 },
    { day: "2026-12-01", count: 0 },
    { day: "2026-12-02", count: 9 },
  ],
};

describe("the home page's figures", () => {
  it("draw the summary: the rate over decided payments, net volume kept, a bar per code, processor and day", () => {
    const stats = paymentStats(SUMMARY);
    expect(stats).toMatchObject({ count: 9, approved: 5, declined: 3, authorizationRate: "62.5%" });
    expect(stats.volume).toEqual([
      { currency: "usd", amount: 1_750 },
      { currency: "eur", amount: 500 },
    ]);
    expect(stats.declinesByCode).toEqual([
      { label: "insufficient_funds", value: 2 },
      { label: "unknown", value: 1 },
    ]);
    expect(stats.byProcessor).toEqual([
      { label: "acquirer_a", value: 7, text: "7 · 71.4%" },
      { label: "acquirer_b", value: 1, text: "1 · 0.0%" },
    ]);
    expect(stats.perDay).toEqual([
      { label: "11-30", value: 0 },
      { label: "12-01", value: 0 },
      { label: "12-02", value: 9 },
    ]);
  });

  it("show a dash, not 0%, when nothing was decided", () => {
    const stats = paymentStats({ ...SUMMARY, approved: 0, declined: 0, processors: [] });
    expect(stats.authorizationRate).toBe("—");
  });
});
