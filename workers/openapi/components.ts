import { OPS_SCOPES } from "../oauth/ops-scopes.js";
import { API_VERSIONS } from "../versions/api-versions.js";

/** Headers, parameters and security schemes the operations refer to by `$ref`. */
export const SHARED_COMPONENTS = {
  parameters: {
    ApiVersion: {
      name: "Api-Version",
      in: "header",
      required: false,
      description: `The dated API version to speak. Without it, your account's \`api_version\` (GET /v1/merchant). \`info.version\` is the version this document describes.`,
      schema: { type: "string", enum: [...API_VERSIONS] },
    },
    IdempotencyKey: {
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description:
        "Makes a retry safe: the same key and body answer with the first result (and `Idempotent-Replayed: true`); the same key with another body is `idempotency_key_reused`.",
      schema: { type: "string", minLength: 1, maxLength: 255 },
    },
  },
  headers: {
    RequestId: { description: "This request's id (`req_...`).", schema: { type: "string" } },
    RateLimitLimit: {
      description:
        "Requests allowed per window: the merchant's for this endpoint group, the ops client's, or, on a 429 before authentication, the failed authentications allowed per client address.",
      schema: { type: "integer" },
    },
    RateLimitRemaining: { description: "Requests left in this window.", schema: { type: "integer" } },
    RateLimitReset: { description: "Seconds until the window resets.", schema: { type: "integer" } },
    ApiVersion: {
      description: "The API version this answer is shaped for.",
      schema: { type: "string", enum: [...API_VERSIONS] },
    },
    IdempotentReplayed: {
      description: "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
      schema: { type: "string", const: "true" },
    },
    RetryAfter: { description: "Seconds to wait before retrying (RFC 9110 §10.2.3).", schema: { type: "integer" } },
  },
  securitySchemes: {
    secretKey: {
      type: "http",
      scheme: "bearer",
      description: "Your secret key (`sk_test_...`, `sk_live_...`) as a bearer token, or as the HTTP Basic user name.",
    },
    opsToken: {
      type: "oauth2",
      description: "Ops staff: an ES256 access token from the client credentials grant.",
      flows: {
        clientCredentials: {
          tokenUrl: "/oauth/token",
          scopes: Object.fromEntries(OPS_SCOPES.map((scope) => [scope, `Ops scope ${scope}.`])),
        },
      },
    },
    dashboardSession: {
      type: "apiKey",
      in: "cookie",
      name: "__Host-gw_session",
      description:
        "A dashboard user's signed session cookie (`gw_session` over plain http in local development); changes also need `X-CSRF-Token` and the gateway's own `Origin`.",
    },
    clientBasic: { type: "http", scheme: "basic", description: "The ops client's id and secret (RFC 6749 §2.3.1)." },
    vaultServiceToken: {
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
      description: "Internal: a short-lived ES256 token the vault signs.",
    },
  },
} as const;
