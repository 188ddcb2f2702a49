import { nextActionView, paymentMethodView } from "../../durable-objects/payment/payment-method-view.js";
import type { AttemptRow, PaymentRow, RefundRow } from "./payments.repository.js";

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function refundRowView(row: RefundRow) {
  return {
    id: row.id,
    object: "refund" as const,
    livemode: row.livemode,
    payment: row.paymentId,
    amount: row.amount,
    currency: row.currency.toLowerCase(),
    status: row.status,
    reason: row.reason,
    created: seconds(row.createdAt),
  };
}

export function attemptRowView(row: AttemptRow) {
  return {
    id: row.id,
    object: "payment_attempt" as const,
    status: row.status,
    processor: row.processor,
    processor_reference: row.processorReference,
    decline_code: row.declineCode,
    network_code: row.networkCode,
    auth_code: row.authCode,
    latency_ms: row.latencyMs,
    routing: row.routing,
    created: seconds(row.createdAt),
    completed: row.completedAt ? seconds(row.completedAt) : null,
  };
}

/** A payment as listed from Postgres: the same fields as the object's own view. */
export function paymentRowView(row: PaymentRow, refunds: RefundRow[], attempts: AttemptRow[]) {
  return {
    id: row.id,
    object: "payment" as const,
    livemode: row.livemode,
    status: row.status,
    amount: row.amount,
    amount_capturable: row.amountCapturable,
    amount_captured: row.amountCaptured,
    amount_refunded: row.amountRefunded,
    currency: row.currency.toLowerCase(),
    capture_method: row.captureMethod,
    payment_method: paymentMethodView({
      type: row.paymentMethodType,
      token: row.cardToken,
      card: row.card,
      upi: row.upi,
      wallet: row.wallet,
    }),
    next_action: nextActionView(row.nextAction),
    processor: row.processor,
    decline_code: row.declineCode,
    customer: row.customerId,
    description: row.description,
    metadata: row.metadata,
    capture_status: row.captureStatus ?? null,
    pending_operation: null,
    refunds: refunds.map(refundRowView),
    attempts: attempts.map(attemptRowView),
    created: seconds(row.createdAt),
    updated: seconds(row.updatedAt),
    version: row.version,
  };
}
