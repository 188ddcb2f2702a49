import type { ProjectedAttempt, ProjectedPayment, ProjectedRefund } from "../../common/payment-event-message.js";
import { nextActionView, paymentMethodView } from "./payment-method-view.js";

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

/** The API's view of an authorization attempt: times in seconds, like every other object. */
export function attemptView(attempt: ProjectedAttempt) {
  return {
    id: attempt.id,
    object: "payment_attempt" as const,
    status: attempt.status,
    processor: attempt.processor,
    processor_reference: attempt.processor_reference,
    decline_code: attempt.decline_code,
    network_code: attempt.network_code,
    auth_code: attempt.auth_code,
    latency_ms: attempt.latency_ms,
    routing: attempt.routing,
    created: seconds(attempt.created_at),
    completed: attempt.completed_at ? seconds(attempt.completed_at) : null,
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
    payment_method: paymentMethodView({
      type: payment.payment_method_type,
      token: payment.card_token,
      card: payment.card ?? null,
      upi: payment.upi ?? null,
      wallet: payment.wallet ?? null,
    }),
    next_action: nextActionView(payment.next_action),
    processor: payment.processor,
    decline_code: payment.decline_code,
    customer: payment.customer_id,
    description: payment.description,
    metadata: payment.metadata,
    capture_status: payment.capture_status ?? null,
    pending_operation: payment.pending_operation ?? null,
    refunds: refunds.map((refund) => refundView(refund, payment.livemode)),
    attempts: (payment.attempts ?? []).map(attemptView),
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
  extra: { param?: string; decline_code?: string; network_code?: string; payment?: unknown } = {},
) {
  return { error: { type, code, message, ...extra, request_id: requestId } };
}
