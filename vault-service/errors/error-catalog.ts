/**
 * Every error the vault answers with: HTTP status, DESIGN.md `type`, default message. The same
 * vocabulary as the edge's catalog (Stripe's codes), so a merchant handles both alike. Card
 * errors use Stripe's codes and messages, which a checkout may show to the cardholder as they are.
 */
export type VaultErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "card_error"
  | "rate_limit_error"
  | "api_error";

interface CatalogEntry {
  status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503;
  type: VaultErrorType;
  message: string;
}

export const VAULT_ERROR_CATALOG = {
  parameter_invalid: { status: 400, type: "invalid_request_error", message: "A parameter is invalid." },
  parameter_missing: { status: 400, type: "invalid_request_error", message: "A required parameter is missing." },
  parameter_unknown: { status: 400, type: "invalid_request_error", message: "Received an unknown parameter." },
  body_not_json: { status: 400, type: "invalid_request_error", message: "The request body is not valid JSON." },
  body_too_large: {
    status: 413,
    type: "invalid_request_error",
    message: "The request body is larger than the vault accepts (64 KiB).",
  },
  route_not_found: { status: 404, type: "invalid_request_error", message: "Unrecognized request URL." },
  // Input checks before any issuer sees the card; 400 (not Stripe's 402, which means an issuer decline).
  invalid_number: { status: 400, type: "card_error", message: "Your card number is invalid." },
  invalid_expiry_year: { status: 400, type: "card_error", message: "Your card's expiration year is invalid." },
  expired_card: { status: 400, type: "card_error", message: "Your card has expired." },
  invalid_cvc: { status: 400, type: "card_error", message: "Your card's security code is invalid." },
  api_key_missing: {
    status: 401,
    type: "authentication_error",
    message: "No API key provided. Send your publishable key as `Authorization: Bearer pk_...`.",
  },
  api_key_invalid: { status: 401, type: "authentication_error", message: "Invalid API key provided." },
  api_key_expired: {
    status: 401,
    type: "authentication_error",
    message: "This API key has been revoked or has expired.",
  },
  secret_key_not_allowed: {
    status: 401,
    type: "authentication_error",
    message: "Tokenization takes a publishable key (pk_...). Never put a secret key in a browser or an app.",
  },
  // The edge's code and message for a key used from outside its allowlist.
  ip_not_allowed: {
    status: 403,
    type: "authentication_error",
    message: "This API key may not be used from your IP address.",
  },
  origin_not_allowed: {
    status: 403,
    type: "authentication_error",
    message: "This origin is not one of the merchant's tokenization origins.",
  },
  resource_missing: { status: 404, type: "invalid_request_error", message: "No such object." },
  edge_token_invalid: {
    status: 401,
    type: "authentication_error",
    message: "The internal API takes a valid, unused edge service token.",
  },
  edge_token_wrong_payment: {
    status: 403,
    type: "authentication_error",
    message: "The edge service token was signed for another payment than this operation's.",
  },
  operation_id_reused: {
    status: 409,
    type: "invalid_request_error",
    message: "This operation id was already used for a different operation; it is never replayed for another.",
  },
  livemode_mismatch: {
    status: 409,
    type: "invalid_request_error",
    message: "This payment was authorized in the other mode; its operations never cross between modes.",
  },
  // The edge's code and message for the same limit, so a merchant handles both alike.
  rate_limit_error: {
    status: 429,
    type: "rate_limit_error",
    message: "Too many requests. Retry after the time in Retry-After.",
  },
  // The edge's code for the same outage (common/database-outage.ts).
  database_unavailable: {
    status: 503,
    type: "api_error",
    message: "A storage dependency is temporarily unavailable. Retry the request.",
  },
  internal_error: {
    status: 500,
    type: "api_error",
    message: "An unexpected error occurred on our side. It has been logged; quote the request id if you contact us.",
  },
} as const satisfies Record<string, CatalogEntry>;

export type VaultErrorCode = keyof typeof VAULT_ERROR_CATALOG;
