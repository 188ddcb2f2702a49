import type { IntentRecord, RefundRecord } from "./ledger.js";

/**
 * The books' records as Stripe's API objects (docs.stripe.com/api/payment_intents/object,
 * /charges/object, /refunds/object): the fields a connector reads, named and typed as Stripe
 * names them, times in Unix seconds, currencies in lower case.
 */
const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Whether the latest confirmation was declined: its charge failed and the intent wants a new card. */
function latestChargeFailed(record: IntentRecord): boolean {
  return record.status === "requires_payment_method" && record.lastError !== null;
}

export function paymentMethodObject(record: IntentRecord) {
  if (!record.paymentMethodId || !record.card) return null;
  return {
    id: record.paymentMethodId,
    object: "payment_method",
    type: "card",
    card: {
      brand: record.card.brand,
      last4: record.card.last4,
      exp_month: record.card.expMonth,
      exp_year: record.card.expYear,
      fingerprint: record.card.fingerprint,
      funding: "unknown",
    },
    created: unix(record.createdAt),
    livemode: record.livemode,
    metadata: {},
  };
}

export function chargeObject(record: IntentRecord) {
  if (!record.chargeId) return null;
  const failed = latestChargeFailed(record);
  const error = failed ? record.lastError : null;
  return {
    id: record.chargeId,
    object: "charge",
    amount: record.amount,
    amount_captured: record.capturedAmount,
    amount_refunded: record.refundedAmount,
    captured: record.capturedAmount > 0,
    created: unix(record.createdAt),
    currency: record.currency,
    description: record.description,
    failure_code: error?.code ?? null,
    failure_message: error?.message ?? null,
    livemode: record.livemode,
    metadata: record.metadata,
    outcome: error
      ? {
          network_status: "declined_by_network",
          reason: error.declineCode ?? error.code,
          seller_message: "The bank did not return any further details with this decline.",
          type: "issuer_declined",
        }
      : {
          network_status: "approved_by_network",
          reason: null,
          seller_message: "Payment complete.",
          type: "authorized",
        },
    paid: !failed,
    payment_intent: record.id,
    payment_method: record.paymentMethodId,
    payment_method_details: { type: "card", card: paymentMethodObject(record)?.card ?? null },
    refunded: record.capturedAmount > 0 && record.refundedAmount === record.capturedAmount,
    status: failed ? "failed" : "succeeded",
  };
}

export function paymentIntentObject(record: IntentRecord, options: { expandLatestCharge?: boolean } = {}) {
  const error = record.lastError;
  return {
    id: record.id,
    object: "payment_intent",
    amount: record.amount,
    amount_capturable: record.status === "requires_capture" ? record.authorizedAmount : 0,
    amount_received: record.capturedAmount,
    canceled_at: record.canceledAt ? unix(record.canceledAt) : null,
    cancellation_reason: record.cancellationReason,
    capture_method: record.captureMethod,
    client_secret: record.clientSecret,
    confirmation_method: "automatic",
    created: unix(record.createdAt),
    currency: record.currency,
    customer: null,
    description: record.description,
    last_payment_error: error
      ? {
          type: "card_error",
          code: error.code,
          ...(error.declineCode ? { decline_code: error.declineCode } : {}),
          message: error.message,
          ...(error.param ? { param: error.param } : {}),
          charge: record.chargeId,
          payment_method: paymentMethodObject(record),
        }
      : null,
    latest_charge: options.expandLatestCharge ? chargeObject(record) : record.chargeId,
    livemode: record.livemode,
    metadata: record.metadata,
    next_action: null,
    payment_method: record.paymentMethodId,
    payment_method_types: ["card"],
    status: record.status,
  };
}

export function refundObject(record: IntentRecord, refund: RefundRecord) {
  return {
    id: refund.id,
    object: "refund",
    amount: refund.amount,
    balance_transaction: null,
    charge: record.chargeId,
    created: unix(refund.createdAt),
    currency: record.currency,
    metadata: refund.metadata,
    payment_intent: record.id,
    reason: refund.reason,
    status: "succeeded",
  };
}
