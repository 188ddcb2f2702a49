import { ORCHESTRATOR, type PaymentEventMessage } from "../../common/payment-event-message.js";
import type { AuditEntry } from "./audit-entry.js";
import { derivedAuditId } from "./audit-log.js";

/** Transition metadata worth keeping (the orchestrator's own words for why and through what). */
const METADATA_KEYS = ["operation", "attempt", "result", "reason", "refund", "code", "source", "capture"] as const;

/**
 * One audit entry per state change of a payment (its transition log, as the orchestrator sends
 * it on `payment-events`): `payment.captured`, `refund.pending`, ... on the payment, with the
 * statuses, amounts and the orchestrator's reason. The actor is who made the change happen, as
 * the object recorded it: the merchant's API key whose request it was (with the request's id), a
 * processor whose verified callback it was, or the object itself (`system`: its alarm's work).
 * Messages from before objects kept it name the object. The id derives from the payment and the
 * event's sequence, so redelivery chains it once.
 */
export async function paymentTransitionEntry(message: PaymentEventMessage): Promise<AuditEntry> {
  const { payment, event } = message;
  const actor = event.actor ?? ORCHESTRATOR;
  const details: AuditEntry["details"] = {
    livemode: payment.livemode,
    sequence: event.sequence,
    old_status: event.old_status,
    new_status: event.new_status,
    amount: payment.amount,
    currency: payment.currency,
    processor: payment.processor,
  };
  for (const key of METADATA_KEYS) {
    const value = event.metadata[key];
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") details[key] = value;
  }
  return {
    id: await derivedAuditId(`payment.transition:${payment.id}:${event.sequence}`),
    at: event.created_at,
    action: event.event_type,
    target_id: payment.id,
    actor: { kind: actor.kind, id: actor.id, merchant_id: payment.merchant_id },
    request_id: actor.request_id,
    details,
  };
}
