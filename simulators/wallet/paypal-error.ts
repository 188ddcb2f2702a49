import { debugId } from "./paypal-ids.js";

/**
 * PayPal's error shape (developer.paypal.com/api/rest/responses, and the `error_4xx` schemas of the
 * Orders v2 and Payments v2 OpenAPI): `{name, message, debug_id, details: [{field?, value?,
 * location?, issue, description}], links}`. Each HTTP status has one `name` and `message`; the
 * `issue` says what went wrong. Descriptions are PayPal's, from those schemas.
 */
const NAMES = {
  400: ["INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema."],
  401: [
    "AUTHENTICATION_FAILURE",
    "Authentication failed due to missing authorization header, or invalid authentication credentials.",
  ],
  404: ["RESOURCE_NOT_FOUND", "The specified resource does not exist."],
  409: ["RESOURCE_CONFLICT", "The server has detected a conflict while processing this request."],
  422: [
    "UNPROCESSABLE_ENTITY",
    "The requested action could not be performed, semantically incorrect, or failed business validation.",
  ],
  500: ["INTERNAL_SERVER_ERROR", "An internal server error has occurred."],
} as const;

export type PayPalStatus = keyof typeof NAMES;

export const ISSUES: Record<string, string> = {
  // 400
  MALFORMED_REQUEST_JSON: "The request JSON is not well formed.",
  MISSING_REQUIRED_PARAMETER: "A required field / parameter is missing.",
  INVALID_PARAMETER_VALUE: "A parameter value is not valid.",
  INVALID_PARAMETER_SYNTAX: "The value of a field does not conform to the expected format.",
  INVALID_ARRAY_MAX_ITEMS: "The number of items in an array parameter is too large.",
  INVALID_ARRAY_MIN_ITEMS: "The number of items in an array parameter is too small.",
  INVALID_STRING_LENGTH: "The value of a field is either too short or too long.",
  // 404
  INVALID_RESOURCE_ID: "Specified resource ID does not exist. Please check the resource ID and try again.",
  // 409
  PREVIOUS_REQUEST_IN_PROGRESS:
    "A previous request on this resource is currently in progress. Please wait for sometime and try again. It is best to space out the initial and the subsequent request(s) to avoid receiving this error.",
  // 422, orders
  INVALID_CURRENCY_CODE: "Currency code is invalid or is not currently supported.",
  CANNOT_BE_ZERO_OR_NEGATIVE:
    "Must be greater than zero. If the currency supports decimals, only two decimal place precision is supported.",
  DECIMAL_PRECISION: "If the currency supports decimals, only two decimal place precision is supported.",
  DECIMALS_NOT_SUPPORTED: "Currency does not support decimals.",
  MAX_VALUE_EXCEEDED: "Should be less than or equal to 999999999999999.99.",
  ORDER_NOT_APPROVED:
    "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.",
  ORDER_ALREADY_CAPTURED: "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
  ORDER_ALREADY_AUTHORIZED:
    "Order already authorized.If 'intent=AUTHORIZE' only one authorization per order is allowed.",
  ACTION_DOES_NOT_MATCH_INTENT: "The action does not match the intent the order was created with.",
  INSTRUMENT_DECLINED:
    "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
  // 422, payments
  AUTHORIZATION_VOIDED: "A voided authorization cannot be captured or reauthorized.",
  AUTHORIZATION_EXPIRED: "An expired authorization cannot be captured.",
  AUTHORIZATION_ALREADY_CAPTURED: "Authorization has previously been captured.",
  MAX_CAPTURE_AMOUNT_EXCEEDED: "Capture amount exceeds allowable limit.",
  AUTH_CAPTURE_CURRENCY_MISMATCH: "Currency of capture must be the same as currency of authorization.",
  PREVIOUSLY_CAPTURED: "Authorization has been previously captured and hence cannot be voided.",
  PREVIOUSLY_VOIDED: "Authorization has been previously voided and hence cannot be voided again.",
  CAPTURE_FULLY_REFUNDED: "The capture has already been fully refunded",
  REFUND_AMOUNT_EXCEEDED:
    "The refund amount must be less than or equal to the capture amount that has not yet been refunded.",
  REFUND_CAPTURE_CURRENCY_MISMATCH: "Refund must be in the same currency as the capture",
  REFUND_NOT_ALLOWED: "Capture cannot be refunded.",
  PENDING_CAPTURE: "Cannot initiate a refund as the capture is pending.",
};

export interface ErrorDetail {
  issue: string;
  description?: string;
  field?: string;
  value?: string;
  location?: "body" | "path" | "query" | "header";
}

/** An answer in PayPal's error shape; thrown by handlers, rendered by the API's one error handler. */
export class PayPalFailure extends Error {
  readonly details: ErrorDetail[];
  constructor(
    readonly status: PayPalStatus,
    details: ErrorDetail[] = [],
    /** Besides the information link: where to send the payer (`rel: "redirect"` after INSTRUMENT_DECLINED). */
    private readonly extraLinks: { href: string; rel: string; method: "GET" }[] = [],
  ) {
    super(NAMES[status][1]);
    this.details = details.map((detail) => ({ ...detail, description: detail.description ?? ISSUES[detail.issue] }));
  }

  body(debug = debugId()) {
    const [name, message] = NAMES[this.status];
    const links = this.details.slice(0, 1).map((detail) => ({
      href: `https://developer.paypal.com/api/rest/reference/orders/v2/errors/#${detail.issue}`,
      rel: "information_link",
      method: "GET",
    }));
    return {
      name,
      message,
      debug_id: debug,
      ...(this.details.length ? { details: this.details } : {}),
      links: [...links, ...this.extraLinks],
    };
  }
}

export const unprocessable = (issue: string, field?: string) =>
  new PayPalFailure(422, [{ issue, ...(field ? { field, location: "body" as const } : {}) }]);

export const invalidRequest = (issue: string, field: string, location: ErrorDetail["location"] = "body") =>
  new PayPalFailure(400, [{ issue, field, location }]);

export const notFound = (field = "id") =>
  new PayPalFailure(404, [{ issue: "INVALID_RESOURCE_ID", field, location: "path" }]);

/** The status a sandbox mock code answers with (`PayPal-Mock-Response`): 422 unless it is one of these. */
export function mockStatus(issue: string): PayPalStatus {
  if (issue === "INVALID_RESOURCE_ID") return 404;
  if (issue === "PREVIOUS_REQUEST_IN_PROGRESS") return 409;
  if (issue === "INTERNAL_SERVER_ERROR" || issue === "INTERNAL_SERVICE_ERROR") return 500;
  if (["MALFORMED_REQUEST_JSON", "MISSING_REQUIRED_PARAMETER", "INVALID_PARAMETER_VALUE"].includes(issue)) return 400;
  return 422;
}
