import { describe, expect, it } from "vitest";
import { PAYMENT_STATUSES, type PaymentStatus } from "../../db/schema/payments.js";
import { canTransition, isTerminal, PAYMENT_TRANSITIONS } from "./payment-state-machine.js";

describe("the payment state machine", () => {
  it("allows exactly the seed's transitions", () => {
    const allowed = PAYMENT_STATUSES.flatMap((from) =>
      PAYMENT_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        "created->processing",
        "created->failed",
        "processing->authorized",
        "processing->failed",
        "authorized->captured",
        "authorized->voided",
        "captured->partially_refunded",
        "captured->refunded",
        "partially_refunded->partially_refunded",
        "partially_refunded->refunded",
        // UPI (issue 14): awaiting the payer, single-message capture, and lapsing unpaid.
        "processing->requires_action",
        "processing->captured",
        "processing->expired",
        "requires_action->captured",
        "requires_action->failed",
        "requires_action->expired",
        // The wallet (issue 15): the payer approved, the gateway captures or authorizes.
        "requires_action->processing",
      ].sort(),
    );
  });

  it("never lets a payment awaiting its payer be authorized directly, captured twice, or revived once expired", () => {
    expect(canTransition("requires_action", "authorized")).toBe(false);
    expect(canTransition("captured", "captured")).toBe(false);
    expect(canTransition("expired", "captured")).toBe(false);
    expect(canTransition("failed", "captured")).toBe(false);
  });

  it("has a row for every status and ends in refunded, failed, voided and expired", () => {
    expect(Object.keys(PAYMENT_TRANSITIONS).sort()).toEqual([...PAYMENT_STATUSES].sort());
    const terminal = PAYMENT_STATUSES.filter((status: PaymentStatus) => isTerminal(status));
    expect(terminal.sort()).toEqual(["expired", "failed", "refunded", "voided"]);
  });
});
