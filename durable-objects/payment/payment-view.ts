import type { ProjectedPayment, ProjectedRefund } from "../../common/payment-event-message.js";

const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/** The API's `refund` object. A refund is always of its payment's mode. */
export function refundView(refund: ProjectedRefund, livemode: boolean) {
  return {
    id: refund.id,
    object: "refund" as const,
    livemode,
    payment: refund.payment_id,
    amount: refund.amount,
    currency: refund.currency.toLowerCase(),
    status: refund.status,
    reason: refund.reason,
    created: seconds(refund.created_at),
  };
}

/**
 * The API's `payment` object: amounts in minor units, and its refunds. Built from the projected
 * fields only, so the object's answers and the events made from queue messages look the same.
 */
export function paymentView(payment: ProjectedPayment, refunds: ProjectedRefund[]) {
  return {
    id: payment.id,
    object: "payment" as const,
    livemode: payment.livemode,
    status: payment.status,
    amount: payment.amount,
    amount_capturable: payment.amount_capturable,
    amount_captured: payment.amount_captured,
    amount_refunded: payment.amount_refunded,
    currency: payment.currency.toLowerCase(),
    capture_method: payment.capture_method,
    payment_method: { type: payment.payment_method_type, token: payment.card_token, card: payment.card ?? null },
    processor: payment.processor,
    decline_code: payment.decline_code,
    customer: payment.customer_id,
    description: payment.description,
    metadata: payment.metadata,
    capture_status: payment.capture_status ?? null,
    pending_operation: payment.pending_operation ?? null,
    refunds: refunds.map((refund) => refundView(refund, payment.livemode)),
    created: seconds(payment.created_at),
    updated: seconds(payment.updated_at),
    version: payment.version,
  };
}

/** DESIGN.md's error body, built inside the object so a replay returns it byte for byte. */
export function errorBody(
  requestId: string,
  type: string,
  code: string,
  message: string,
  extra: { param?: string; decline_code?: string; payment?: unknown } = {},
) {
  return { error: { type, code, message, ...extra, request_id: requestId } };
}
