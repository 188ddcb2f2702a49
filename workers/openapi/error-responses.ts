import { ERROR_CATALOG, type ErrorCode } from "../errors/error-catalog.js";
import type { Auth, ExtraErrorCode, Operation } from "./operation.js";

/** Statuses of the codes a payment object answers with itself (durable-objects/payment). */
const EXTRA_STATUS: Record<ExtraErrorCode, number> = {
  card_declined: 402,
  card_not_supported: 402,
  payment_declined: 402,
  upi_vpa_invalid: 402,
  processor_unavailable: 502,
  payment_operation_pending: 409,
  payment_unexpected_state: 409,
  idempotency_key_reused: 400,
  idempotency_key_in_use: 409,
};

/**
 * What each kind of authentication can answer. `rate_limit_error` wherever a caller is limited:
 * merchants per key's merchant and group, ops clients per client, and every unauthenticated
 * caller per address once it has failed too often (workers/rate-limits/strangers.ts).
 */
const AUTH_ERRORS: Record<Auth["kind"], ErrorCode[]> = {
  none: [],
  secret_key: [
    "api_key_missing",
    "api_key_invalid",
    "api_key_expired",
    "publishable_key_not_allowed",
    "ip_not_allowed",
    "session_missing",
    "csrf_token_invalid",
    "origin_not_allowed",
    "role_not_allowed",
    "rate_limit_error",
  ],
  dashboard_session: [
    "session_missing",
    "csrf_token_invalid",
    "origin_not_allowed",
    "role_not_allowed",
    "rate_limit_error",
  ],
  ops: ["ops_token_missing", "ops_token_invalid", "insufficient_scope", "rate_limit_error"],
  client_credentials: [
    "invalid_client",
    "invalid_grant_request",
    "unsupported_grant_type",
    "invalid_scope",
    "rate_limit_error",
  ],
  vault_service: ["service_token_invalid"],
  // Its refusals are NPCI Acks in XML (described on the operation), not JSON errors.
  upi_switch: [],
  wallet: ["signature_invalid", "rate_limit_error"],
};

const BODY_ERRORS: ErrorCode[] = [
  "parameter_invalid",
  "parameter_missing",
  "parameter_unknown",
  "body_not_json",
  "body_too_large",
  "unsupported_media_type",
];
const QUERY_ERRORS: ErrorCode[] = ["parameter_invalid", "parameter_unknown"];

export function errorStatus(code: ErrorCode | ExtraErrorCode): number {
  return code in EXTRA_STATUS ? EXTRA_STATUS[code as ExtraErrorCode] : ERROR_CATALOG[code as ErrorCode].status;
}

/** Every code an operation can answer with, grouped by HTTP status. */
export function operationErrors(op: Operation): Map<number, string[]> {
  const answers: { code: string; status: number }[] = [
    ...AUTH_ERRORS[op.auth.kind],
    ...(op.body ? BODY_ERRORS : []),
    ...(op.query ? QUERY_ERRORS : []),
    ...(op.errors ?? []),
    ...(op.auth.kind === "none" ? [] : (["database_unavailable"] as const)),
    "internal_error" as const,
  ].map((entry) => (typeof entry === "string" ? { code: entry, status: errorStatus(entry) } : entry));
  const byStatus = new Map<number, string[]>();
  for (const { code, status } of answers) {
    const codes = byStatus.get(status) ?? [];
    if (!codes.includes(code)) byStatus.set(status, [...codes, code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

/** DESIGN.md's error body, and RFC 6749 §5.2's for the token endpoint. */
export const ERROR_SCHEMAS = {
  Error: {
    type: "object",
    description: "Every error but the token endpoint's. `code` is stable; `message` is for people.",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["type", "code", "message", "request_id"],
        properties: {
          type: {
            type: "string",
            enum: [
              "invalid_request_error",
              "authentication_error",
              "card_error",
              "payment_method_error",
              "idempotency_error",
              "rate_limit_error",
              "api_error",
            ],
          },
          code: { type: "string", examples: ["parameter_invalid", "card_declined"] },
          message: { type: "string" },
          param: {
            type: "string",
            description: "The parameter at fault, in bracket notation (`payment_method[token]`).",
          },
          decline_code: {
            type: "string",
            description: "The processor's reason, on `card_declined` and `payment_declined`.",
          },
          network_code: {
            type: "string",
            description: "The network's own answer code (NPCI's, for UPI: `U30`, `ZA`, `ZH`, ...).",
          },
          payment: { $ref: "#/components/schemas/Payment", description: "The failed payment, on a decline." },
          request_id: { type: "string", description: "Quote it when you contact us." },
        },
      },
    },
  },
  OAuthError: {
    type: "object",
    required: ["error", "error_description", "request_id"],
    properties: {
      error: { type: "string", enum: ["invalid_client", "invalid_request", "unsupported_grant_type", "invalid_scope"] },
      error_description: { type: "string" },
      request_id: { type: "string" },
    },
  },
} as const;
