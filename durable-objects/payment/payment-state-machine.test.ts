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
      ].sort(),
    );
  });

  it("has a row for every status and ends in refunded, failed and voided", () => {
    expect(Object.keys(PAYMENT_TRANSITIONS).sort()).toEqual([...PAYMENT_STATUSES].sort());
    const terminal = PAYMENT_STATUSES.filter((status: PaymentStatus) => isTerminal(status));
    expect(terminal.sort()).toEqual(["failed", "refunded", "voided"]);
  });
});
