import { describe, expect, it } from "vitest";
import type { Payment } from "./api-objects.js";
import { paymentStats } from "./payment-stats.js";

const NOW = Date.UTC(2026, 11, 2, 12);

function payment(status: string, overrides: Partial<Payment> = {}): Payment {
  const captured = ["captured", "partially_refunded", "refunded"].includes(status) ? 1_000 : 0;
  return {
    id: `pay_${Math.random().toString(16).slice(2)}`,
    livemode: false,
    status,
    amount: 1_000,
    amount_capturable: 0,
    amount_captured: captured,
    amount_refunded: status === "refunded" ? 1_000 : status === "partially_refunded" ? 250 : 0,
    currency: "usd",
    capture_method: "automatic",
    payment_method: null,
    processor: "acquirer_a",
    decline_code: null,
    customer: null,
    description: null,
    metadata: null,
    capture_status: null,
    pending_operation: null,
    refunds: [],
    attempts: [],
    created: NOW / 1000 - 3_600,
    ...overrides,
  };
}

describe("the home page's figures", () => {
  it("count decided payments only in the authorization rate, and keep refunds out of volume", () => {
    const stats = paymentStats(
      [
        payment("captured"),
        payment("partially_refunded"),
        payment("refunded"),
        payment("voided"),
        payment("failed", { decline_code: "insufficient_funds", processor: "acquirer_b" }),
        payment("failed", { decline_code: "insufficient_funds" }),
        payment("failed", { decline_code: null }),
        payment("processing"),
        payment("captured", { currency: "eur", amount_captured: 500 }),
      ],
      3,
      NOW,
    );
    expect(stats).toMatchObject({ count: 9, approved: 5, declined: 3 });
    expect(stats.volume).toEqual([
      { currency: "usd", amount: 1_750 },
      { currency: "eur", amount: 500 },
    ]);
    expect(stats.declinesByCode).toEqual([
      { label: "insufficient_funds", value: 2 },
      { label: "unknown", value: 1 },
    ]);
    expect(stats.byProcessor).toEqual([
      { processor: "acquirer_a", approved: 5, declined: 2, count: 7 },
      { processor: "acquirer_b", approved: 0, declined: 1, count: 1 },
    ]);
    expect(stats.perDay.map((day) => day.label)).toEqual(["11-30", "12-01", "12-02"]);
    expect(stats.perDay.at(-1)?.value).toBe(9);
  });
});
