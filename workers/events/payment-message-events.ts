import type { PaymentEventMessage, ProjectedRefund } from "../../common/payment-event-message.js";
import { paymentView, refundView } from "../../durable-objects/payment/payment-view.js";
import { EVENT_TYPES, type EventType } from "./event-types.js";

/** An event to store: its type, the object it is about (as the API shows it) and that object's version. */
export interface NewEvent {
  type: EventType;
  merchantId: string;
  /** The object's mode: the event is listed, and delivered, only in that mode. */
  livemode: boolean;
  objectId: string;
  objectVersion: number;
  data: Record<string, unknown>;
  createdAt: Date;
}

const REFUND_EVENTS: Record<ProjectedRefund["status"], EventType | null> = {
  pending: null,
  succeeded: "refund.processed",
  failed: "refund.failed",
};

/**
 * The merchant-facing events one logged change makes: its own type when that is a payment event
 * of the catalog (`payment.<new status>` for a transition, `payment.capture_failed`), with the
 * payment as it is after it, and `refund.processed` / `refund.failed` for each refund it settled.
 * Internal records (`capture.pending`, `refund.pending`, ...) make none of their own. Keyed by (object, version, type), so a redelivered message makes the same
 * events again and the unique index keeps one copy.
 */
export function eventsForPaymentMessage(message: PaymentEventMessage): NewEvent[] {
  const { payment, event, refunds } = message;
  const createdAt = new Date(event.created_at);
  const events: NewEvent[] = [];
  if (isPaymentEvent(event.event_type)) {
    events.push({
      type: event.event_type,
      merchantId: payment.merchant_id,
      livemode: payment.livemode,
      objectId: payment.id,
      objectVersion: payment.version,
      data: paymentView(payment, refunds),
      createdAt,
    });
  }
  for (const refund of refunds) {
    const type = REFUND_EVENTS[refund.status];
    if (type) {
      const data = refundView(refund, payment.livemode);
      events.push({
        type,
        merchantId: refund.merchant_id,
        // A refund belongs to its payment's world (the message's refunds are all that payment's).
        livemode: payment.livemode,
        objectId: refund.id,
        objectVersion: refund.version,
        data,
        createdAt,
      });
    }
  }
  return events;
}

function isPaymentEvent(type: string): type is EventType {
  return type.startsWith("payment.") && (EVENT_TYPES as readonly string[]).includes(type);
}
