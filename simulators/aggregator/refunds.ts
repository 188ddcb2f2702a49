import type { z } from "zod";
import { newId } from "./ids.js";
import type { createRefundParams } from "./params.js";
import type { IntentDeps } from "./payment-intents.js";
import { invalidRequest, resourceMissing } from "./stripe-error.js";
import { chargeObject, refundObject } from "./stripe-objects.js";
import type { RequestContext } from "./webhooks.js";

/**
 * Refunds of a captured PaymentIntent's charge (docs.stripe.com/api/refunds/create): in full by
 * default, or in parts until the captured amount is used up, never beyond it (DESIGN invariant 1
 * holds at the processor too). Each one is final here (`succeeded`) and sends `charge.refunded`.
 */
export class Refunds {
  constructor(private readonly deps: IntentDeps) {}

  create(params: z.output<typeof createRefundParams>, request: RequestContext) {
    const record = this.deps.ledger.get(params.payment_intent);
    if (!record || record.livemode !== this.deps.livemode) {
      throw resourceMissing("payment_intent", params.payment_intent, "payment_intent");
    }
    if (record.status !== "succeeded") {
      throw invalidRequest(
        `This PaymentIntent does not have a successful charge to refund (its status is ${record.status}).`,
        "payment_intent",
      );
    }
    const remaining = record.capturedAmount - record.refundedAmount;
    if (remaining === 0) {
      throw invalidRequest(
        `Charge ${record.chargeId} has already been refunded.`,
        undefined,
        "charge_already_refunded",
      );
    }
    const amount = params.amount ?? remaining;
    if (amount > remaining) {
      throw invalidRequest(
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining}).`,
        "amount",
        "amount_too_large",
      );
    }
    const refund = {
      id: newId("re"),
      amount,
      reason: params.reason ?? null,
      metadata: params.metadata ?? {},
      createdAt: this.deps.now().toISOString(),
    };
    record.refunds.push(refund);
    record.refundedAmount += amount;
    this.deps.ledger.save(record);
    const charge = chargeObject(record);
    if (charge) this.deps.events.emit("charge.refunded", charge, request);
    return refundObject(record, refund);
  }

  retrieve(id: string) {
    const found = this.deps.ledger.findRefund(id);
    if (!found || found.intent.livemode !== this.deps.livemode) throw resourceMissing("refund", id, "refund");
    return refundObject(found.intent, found.refund);
  }
}
