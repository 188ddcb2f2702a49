/**
 * The event types a merchant can receive and subscribe to. Every payment transition is an event
 * named for the status it reached; refunds and disputes have their own. `*` subscribes to all.
 */
export const EVENT_TYPES = [
  "payment.created",
  "payment.processing",
  "payment.authorized",
  "payment.captured",
  "payment.capture_failed",
  "payment.failed",
  "payment.voided",
  "payment.partially_refunded",
  "payment.refunded",
  "refund.processed",
  "refund.failed",
  "dispute.created",
  "dispute.updated",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
