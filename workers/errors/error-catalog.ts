/**
 * Every error the API can answer with, in one place: its HTTP status, its DESIGN.md `type`, and
 * a default message. Codes follow Stripe's vocabulary where Stripe has one, so merchants'
 * existing error handling keeps working.
 */
export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "card_error"
  | "payment_method_error"
  | "idempotency_error"
  | "rate_limit_error"
  | "api_error";

interface CatalogEntry {
  status: 400 | 401 | 402 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 429 | 500 | 502 | 503;
  type: ErrorType;
  message: string;
}

export const ERROR_CATALOG = {
  parameter_invalid: { status: 400, type: "invalid_request_error", message: "A parameter is invalid." },
  parameter_missing: { status: 400, type: "invalid_request_error", message: "A required parameter is missing." },
  parameter_unknown: { status: 400, type: "invalid_request_error", message: "Received an unknown parameter." },
  body_not_json: { status: 400, type: "invalid_request_error", message: "The request body is not valid JSON." },
  resource_missing: { status: 404, type: "invalid_request_error", message: "No such object." },
  payment_method_unavailable: {
    status: 400,
    type: "invalid_request_error",
    message: "This payment method is not enabled in this mode.",
  },
  rate_limit_error: {
    status: 429,
    type: "rate_limit_error",
    message: "Too many requests. Retry after the time in Retry-After.",
  },
  method_not_allowed: {
    status: 405,
    type: "invalid_request_error",
    message: "This URL does not accept this method; the Allow header lists the ones it does.",
  },
  body_too_large: {
    status: 413,
    type: "invalid_request_error",
    message: "The request body is larger than the API accepts (256 KiB).",
  },
  unsupported_media_type: {
    status: 415,
    type: "invalid_request_error",
    message: "Send request bodies as JSON with Content-Type: application/json.",
  },
  url_not_allowed: {
    status: 400,
    type: "invalid_request_error",
    message: "Webhook URLs must be https and reach a public host.",
  },
  route_not_found: { status: 404, type: "invalid_request_error", message: "Unrecognized request URL." },
  api_key_missing: {
    status: 401,
    type: "authentication_error",
    message: "No API key provided. Send it as `Authorization: Bearer sk_...` or as the HTTP Basic user name.",
  },
  api_key_invalid: { status: 401, type: "authentication_error", message: "Invalid API key provided." },
  api_key_expired: {
    status: 401,
    type: "authentication_error",
    message: "This API key has been revoked or has expired.",
  },
  publishable_key_not_allowed: {
    status: 401,
    type: "authentication_error",
    message: "This request needs a secret key (sk_...); publishable keys can only tokenize cards.",
  },
  ip_not_allowed: {
    status: 403,
    type: "authentication_error",
    message: "This API key may not be used from your IP address.",
  },
  ops_token_missing: {
    status: 401,
    type: "authentication_error",
    message: "This ops route needs a bearer access token from POST /oauth/token.",
  },
  ops_token_invalid: {
    status: 401,
    type: "authentication_error",
    message: "The access token is invalid or has expired.",
  },
  signature_invalid: {
    status: 401,
    type: "authentication_error",
    message: "The message's signature does not verify with the sender's registered keys.",
  },
  service_token_invalid: {
    status: 401,
    type: "authentication_error",
    message: "This internal route needs a valid, unexpired service token from the vault.",
  },
  chargeback_ambiguous: {
    status: 409,
    type: "invalid_request_error",
    message: "More than one captured payment matches this chargeback advice; it was not recorded.",
  },
  dispute_closed: {
    status: 409,
    type: "invalid_request_error",
    message: "Evidence can only be submitted while the dispute needs a response.",
  },
  dispute_outcome_conflict: {
    status: 409,
    type: "invalid_request_error",
    message: "This dispute was already closed with the other outcome; nothing was changed.",
  },
  settlement_file_missing: {
    status: 503,
    type: "api_error",
    message: "The file could not be read from storage; retry shortly.",
  },
  settlement_busy: {
    status: 409,
    type: "api_error",
    message:
      "Movements were still being recorded while a batch was cut, so it was not cut. Retry shortly: a batch already cut comes back as it is.",
  },
  report_link_invalid: {
    status: 403,
    type: "invalid_request_error",
    message: "This download link is not valid or has expired; retrieve the report for a new one.",
  },
  version_conflict: {
    status: 409,
    type: "invalid_request_error",
    message: "This object changed since the version you sent; read it again and retry with its current version.",
  },
  // Hosted checkout (workers/checkout/): a session's one transition is final.
  checkout_session_expired: {
    status: 410,
    type: "invalid_request_error",
    message: "This checkout session has expired; ask the merchant for a new one.",
  },
  checkout_session_unexpected_state: {
    status: 409,
    type: "invalid_request_error",
    message: "Only an open checkout session with no payment in flight can be expired.",
  },
  idempotency_key_reused: {
    status: 400,
    type: "idempotency_error",
    message: "This Idempotency-Key was used with different parameters.",
  },
  api_key_cannot_mint: {
    status: 403,
    type: "authentication_error",
    message: "This key is being rolled over: it still works until it expires, but it may not create or roll keys.",
  },
  // The dashboard's session door (workers/dashboard-auth/).
  session_missing: {
    status: 401,
    type: "authentication_error",
    message: "No valid dashboard session: sign in again (POST /dashboard/api/session).",
  },
  sign_in_failed: { status: 401, type: "authentication_error", message: "The email or password is incorrect." },
  totp_required: {
    status: 401,
    type: "authentication_error",
    message: "This user signs in with an authentication code too: send it as `totp`.",
  },
  totp_invalid: {
    status: 401,
    type: "authentication_error",
    message: "The authentication code is wrong, expired or already used.",
  },
  csrf_token_invalid: {
    status: 403,
    type: "invalid_request_error",
    message: "A change through a dashboard session needs the session's X-CSRF-Token header.",
  },
  origin_not_allowed: {
    status: 403,
    type: "invalid_request_error",
    message: "A change through a dashboard session must come from the gateway's own origin.",
  },
  role_not_allowed: {
    status: 403,
    type: "authentication_error",
    message: "Your dashboard role does not allow this.",
  },
  dashboard_user_exists: {
    status: 409,
    type: "invalid_request_error",
    message: "This merchant already has a dashboard user with this email.",
  },
  insufficient_scope: {
    status: 403,
    type: "authentication_error",
    message: "The access token lacks the scope this route needs.",
  },
  // RFC 6749 §5.2 errors of the token endpoint; rendered in the RFC's own shape.
  invalid_client: { status: 401, type: "authentication_error", message: "Client authentication failed." },
  invalid_grant_request: { status: 400, type: "invalid_request_error", message: "The token request is malformed." },
  unsupported_grant_type: {
    status: 400,
    type: "invalid_request_error",
    message: "Only the client_credentials grant is supported.",
  },
  invalid_scope: {
    status: 400,
    type: "invalid_request_error",
    message: "A requested scope is not granted to this client.",
  },
  internal_error: {
    status: 500,
    type: "api_error",
    message: "An unexpected error occurred on our side. It has been logged; quote the request id if you contact us.",
  },
  reconciliation_source_missing: {
    status: 400,
    type: "invalid_request_error",
    message: "No daily-file source is configured for this processor in this mode.",
  },
  processor_report_unavailable: {
    status: 502,
    type: "api_error",
    message: "The processor's report could not be fetched; retry shortly.",
  },
  processor_report_invalid: {
    status: 502,
    type: "api_error",
    message: "The processor's report is not a readable daily file of that processor for that day.",
  },
  database_unavailable: {
    status: 503,
    type: "api_error",
    message: "A storage dependency is temporarily unavailable. Retry with the same Idempotency-Key.",
  },
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
