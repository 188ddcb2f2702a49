/**
 * Stripe's error vocabulary (docs.stripe.com/api/errors). Stripe answers an unknown or missing key
 * with a 401 of type `invalid_request_error`; the official client picks its error class by the
 * HTTP status (402 -> StripeCardError, 400/404 -> StripeInvalidRequestError or, for
 * `idempotency_error`, StripeIdempotencyError, 401 -> StripeAuthenticationError, else StripeAPIError).
 */
export type StripeErrorType = "card_error" | "invalid_request_error" | "api_error" | "idempotency_error";

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  /** The request parameter at fault, in bracket notation (`payment_method_data[card][cvc]`). */
  param?: string;
  /** A card error during confirmation names the failed charge and carries the PaymentIntent. */
  charge?: string;
  payment_intent?: object;
  doc_url?: string;
}

export type StripeErrorStatus = 400 | 401 | 402 | 404 | 409 | 500;

/** An answer in Stripe's error shape; thrown by the API's handlers, rendered by its one error handler. */
export class StripeFailure extends Error {
  constructor(
    readonly status: StripeErrorStatus,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

export function invalidRequest(message: string, param?: string, code?: string): StripeFailure {
  return new StripeFailure(400, {
    type: "invalid_request_error",
    message,
    ...(code ? { code, doc_url: `https://stripe.com/docs/error-codes/${code.replaceAll("_", "-")}` } : {}),
    ...(param ? { param } : {}),
  });
}

/** `param` is where the id came from: the path (`intent`, `refund`) or a body parameter. */
export function resourceMissing(kind: "payment_intent" | "refund", id: string, param: string): StripeFailure {
  return new StripeFailure(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    param,
  });
}

/** A request in a state the object cannot take (capture of a captured intent, and the like). */
export function unexpectedState(message: string): StripeFailure {
  return invalidRequest(message, undefined, "payment_intent_unexpected_state");
}
