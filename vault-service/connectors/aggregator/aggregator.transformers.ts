import Stripe from "stripe";
import type { AuthorizeRequest, InquiryResult, OperationResult } from "../card-connector.js";
import { interpretAggregatorCode } from "./aggregator.codes.js";

/**
 * Wire types of the Stripe-style aggregator and their conversions to and from ours. References:
 * an authorization is journaled under its idempotency key (the edge's operation id, `op_...`),
 * since the aggregator names the PaymentIntent only in its answer; the edge is given the
 * PaymentIntent id (`pi_...`). A follow-up is journaled as `pi_.../op_...` (the intent, then its
 * own idempotency key); a refund's answer names `pi_.../re_...`.
 */
const INTENT = /^pi_[0-9A-Za-z]+$/;
const OPERATION = /^op_[0-9A-Za-z_]+$/;

/** The PaymentIntent a reference is about, or null when it names none (an authorization's key). */
export function intentOf(reference: string): string | null {
  const intent = reference.split("/", 1)[0] ?? "";
  return INTENT.test(intent) ? intent : null;
}

/** The idempotency key a journaled reference was sent under. */
export function keyOf(reference: string): string {
  const key = reference.includes("/") ? reference.slice(reference.indexOf("/") + 1) : reference;
  if (!OPERATION.test(key)) throw new Error(`not an aggregator reference: ${reference}`);
  return key;
}

export function followUpReference(intent: string, operationId: string): string {
  return `${intent}/${operationId}`;
}

/**
 * Create and confirm in one call (the card is never kept there): manual capture holds the funds,
 * automatic is a sale. `payment_method_data[card]` takes raw card details, which Stripe's types
 * leave out (only its own elements may send them); the vault is the cardholder data zone.
 */
export function createIntentParams(request: AuthorizeRequest): Stripe.PaymentIntentCreateParams {
  const card = {
    number: request.card.pan,
    exp_month: request.card.expMonth,
    exp_year: request.card.expYear,
    ...(request.card.cvc ? { cvc: request.card.cvc } : {}),
  };
  return {
    amount: request.amount,
    currency: request.currency.toLowerCase(),
    confirm: true,
    capture_method: request.kind === "sale" ? "automatic" : "manual",
    payment_method_data: { type: "card", card } as unknown as Stripe.PaymentIntentCreateParams.PaymentMethodData,
    description: request.merchant.name,
    metadata: { operation_id: request.operationId, merchant_id: request.merchant.id },
  };
}

/** A PaymentIntent's answer to create, capture or cancel, named by its id. */
export function fromIntent(intent: Stripe.PaymentIntent): OperationResult {
  switch (intent.status) {
    case "requires_capture":
    case "succeeded":
    case "canceled":
      return { status: "approved", authCode: null, responseCode: intent.status, reference: intent.id };
    case "requires_payment_method": {
      const code = intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code ?? "card_declined";
      return { status: "declined", decline: interpretAggregatorCode(code), responseCode: code, reference: intent.id };
    }
    case "processing":
    case "requires_action":
    case "requires_confirmation":
      return { status: "unknown", reason: `the PaymentIntent is ${intent.status}` };
    default:
      // A status newer than this connector: not an answer it can act on.
      return { status: "unknown", reason: `the PaymentIntent is ${String(intent.status)}` };
  }
}

/** What a PaymentIntent says of its authorization (a status inquiry). */
export function inquiryOf(intent: Stripe.PaymentIntent): InquiryResult {
  switch (intent.status) {
    case "requires_capture":
      return { status: "approved", authCode: null };
    case "succeeded":
      return { status: "captured", capturedAmount: intent.amount_received, authCode: null };
    case "canceled":
      return { status: "reversed" };
    case "requires_payment_method": {
      const error = intent.last_payment_error;
      if (!error) return { status: "not_found" };
      const code = error.decline_code ?? error.code ?? "card_declined";
      return { status: "declined", decline: interpretAggregatorCode(code), responseCode: code };
    }
    case "processing":
    case "requires_action":
    case "requires_confirmation":
      return { status: "unavailable", reason: `the PaymentIntent is ${intent.status}` };
    default:
      return { status: "unavailable", reason: `the PaymentIntent is ${String(intent.status)}` };
  }
}

/**
 * A failed request as an outcome. A card error is a decline (`decline_code ?? code`, as Stripe
 * answers it); any other 4xx was refused before the books (nothing happened, for good). A refused
 * connection never reached the aggregator (`unavailable`); a timeout, a reset, a 5xx or a garbled
 * answer may have been booked (`unknown`): the resolver settles it by the idempotency key.
 */
export function fromError(error: unknown): OperationResult {
  if (!(error instanceof Stripe.errors.StripeError)) throw error;
  if (error instanceof Stripe.errors.StripeCardError) {
    const code = error.decline_code ?? error.code ?? "card_declined";
    const intent = (error.payment_intent as Stripe.PaymentIntent | undefined)?.id;
    return {
      status: "declined",
      decline: interpretAggregatorCode(code),
      responseCode: code,
      ...(intent ? { reference: intent } : {}),
    };
  }
  if (error instanceof Stripe.errors.StripeConnectionError) {
    const cause = (error.detail as { code?: string } | undefined)?.code;
    return cause === "ECONNREFUSED"
      ? { status: "unavailable", reason: "the aggregator refused the connection" }
      : { status: "unknown", reason: error.message };
  }
  if (error instanceof Stripe.errors.StripeAuthenticationError) {
    return { status: "unavailable", reason: "the aggregator refused our key" };
  }
  if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    const code = error.code ?? "invalid_request_error";
    return { status: "declined", decline: { code: "processing_error", retry: "hard" }, responseCode: code };
  }
  // 5xx, 409 (the same key still running), idempotency mismatches, unreadable answers.
  return { status: "unknown", reason: `${error.type}: ${error.statusCode ?? "no status"}` };
}
