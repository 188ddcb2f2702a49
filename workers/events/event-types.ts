/**
 * The event types a merchant can receive and subscribe to. Every payment transition is an event
 * named for the status it reached; refunds and disputes have their own. `*` subscribes to all.
 * UPI (issue 14) adds `payment.requires_action` (the payer must approve: the event carries the
 * payment's `next_action`) and `payment.expired` (the collect or intent lapsed unpaid).
 * Settlements (issue 16) add `settlement.created` and `settlement.paid`; reports, `report.ready` and
 * `report.failed`; a dispute the network decided is `dispute.closed` (Stripe's name), won or lost.
 * Hosted checkout (issue 18) adds `checkout.session.completed` and `checkout.session.expired`.
 */
export const EVENT_TYPES = [
  "payment.created",
  "payment.processing",
  "payment.requires_action",
  "payment.authorized",
  "payment.captured",
  "payment.capture_failed",
  "payment.failed",
  "payment.voided",
  "payment.expired",
  "payment.partially_refunded",
  "payment.refunded",
  "refund.processed",
  "refund.failed",
  "dispute.created",
  "dispute.updated",
  "dispute.closed",
  "settlement.created",
  "settlement.paid",
  "report.ready",
  "report.failed",
  "checkout.session.completed",
  "checkout.session.expired",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
