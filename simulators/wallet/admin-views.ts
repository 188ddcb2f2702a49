import type { OrderRecord } from "./books.js";
import type { EventRecord } from "./webhooks.js";

/** The admin API speaks snake_case JSON with amounts in minor units, as the gateway's own API does. */

export function orderAdminView(order: OrderRecord) {
  return {
    id: order.id,
    intent: order.intent,
    /** EXPIRED is the simulator's word: to the API such an order does not exist. */
    status: order.expiredAt ? "EXPIRED" : order.status,
    currency: order.currency,
    amount_minor: order.amountMinor,
    reference_id: order.referenceId,
    custom_id: order.customId ?? null,
    invoice_id: order.invoiceId ?? null,
    with_payment_source: order.withPaymentSource,
    return_url: order.experience.returnUrl ?? null,
    cancel_url: order.experience.cancelUrl ?? null,
    payer: order.payer ? { payer_id: order.payer.payerId, email: order.payer.email } : null,
    captures: order.captures.map((capture) => ({
      id: capture.id,
      status: capture.status,
      amount_minor: capture.amountMinor,
      final_capture: capture.finalCapture,
      authorization_id: capture.authorizationId ?? null,
      reason: capture.reason ?? null,
      pending_until: capture.pendingUntil ?? null,
      created_at: capture.createdAt,
    })),
    authorizations: order.authorizations.map((authorization) => ({
      id: authorization.id,
      status: authorization.status,
      amount_minor: authorization.amountMinor,
      expires_at: authorization.expiresAt,
      created_at: authorization.createdAt,
    })),
    refunds: order.refunds.map((refund) => ({
      id: refund.id,
      capture_id: refund.captureId,
      status: refund.status,
      amount_minor: refund.amountMinor,
      custom_id: refund.customId ?? null,
      invoice_id: refund.invoiceId ?? null,
      created_at: refund.createdAt,
    })),
    expires_at: order.expiresAt,
    expired_at: order.expiredAt ?? null,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
  };
}

/**
 * Money per order, what a reconciler compares with the gateway: captured (taken: completed
 * captures, refunded or not), pending (captures not yet completed), refunded, and what an open
 * authorization still holds.
 */
export function ledgerEntry(order: OrderRecord) {
  const sum = (amounts: number[]) => amounts.reduce((total, amount) => total + amount, 0);
  const taken = order.captures.filter((c) => ["COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED"].includes(c.status));
  const held = order.authorizations
    .filter((a) => a.status === "CREATED" || a.status === "PARTIALLY_CAPTURED")
    .map(
      (a) =>
        a.amountMinor -
        sum(
          order.captures.filter((c) => c.authorizationId === a.id && c.status !== "DECLINED").map((c) => c.amountMinor),
        ),
    );
  return {
    order_id: order.id,
    status: order.expiredAt ? "EXPIRED" : order.status,
    currency: order.currency,
    amount_minor: order.amountMinor,
    authorized_open_minor: sum(held),
    captured_minor: sum(taken.map((c) => c.amountMinor)),
    pending_minor: sum(order.captures.filter((c) => c.status === "PENDING").map((c) => c.amountMinor)),
    refunded_minor: sum(order.refunds.map((r) => r.amountMinor)),
  };
}

export function eventAdminView(event: EventRecord) {
  return {
    id: event.id,
    event_type: event.eventType,
    resource_type: event.resourceType,
    resource_id: event.resourceId,
    order_id: event.orderId,
    created_at: event.createdAt,
    delivery: {
      status: event.delivery.status,
      attempts: event.delivery.attempts.map((attempt) => ({
        attempt: attempt.attempt,
        replay: attempt.replay,
        transmission_id: attempt.transmissionId,
        at: attempt.at,
        status: attempt.status,
        error: attempt.error ?? null,
      })),
    },
  };
}
