import { z } from "zod";
import { livemode, prefixedId, resource, unixSeconds } from "../openapi/fields.js";
import type { Operation } from "../openapi/operation.js";
import { createApiKeySchema, emptyBodySchema, listQuerySchema, rollApiKeySchema } from "./api-keys.schemas.js";

export const ApiKey = resource(
  "ApiKey",
  z.strictObject({
    id: prefixedId("key"),
    object: z.literal("api_key"),
    type: z.enum(["secret", "publishable"]),
    livemode,
    name: z.string().nullable(),
    redacted: z.string().describe("The key's prefix and last four characters."),
    allowed_ips: z.array(z.string()).nullable().describe("IPs and CIDR blocks the key works from; null = anywhere."),
    status: z.enum(["active", "expiring", "expired", "revoked"]),
    created: unixSeconds,
    expires_at: unixSeconds.nullable(),
    revoked_at: unixSeconds.nullable(),
    rolled_to: z.string().nullable().describe("The key that replaced this one in a roll."),
    secret: z.string().optional().describe("The key itself: only in the answer that issued it."),
  }),
  "An API key. Only its hash is stored; the key itself is shown once.",
);

const RolledApiKey = resource(
  "RolledApiKey",
  ApiKey.extend({ previous: ApiKey }),
  "The new key of a roll (with its `secret`), and the old one, now expiring or revoked.",
);

const secretKey = { kind: "secret_key" } as const;

export const apiKeyOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/api_keys",
    operationId: "createApiKey",
    tag: "API keys",
    summary: "Create an API key",
    description:
      "The new key takes the mode of the key making the request, and never reaches wider: with no `allowed_ips` it inherits the creator's allowlist, and any it asks for must lie within it. A key in its roll-over overlap cannot create keys.",
    auth: secretKey,
    body: createApiKeySchema,
    success: { status: 201, description: "The key, with its `secret` (shown once).", body: { resource: "ApiKey" } },
    errors: ["api_key_cannot_mint"],
  },
  {
    method: "get",
    path: "/v1/api_keys",
    operationId: "listApiKeys",
    tag: "API keys",
    summary: "List API keys",
    description:
      "The keys of the requesting key's mode; the other mode's keys are not listed, read, rolled or revoked (404).",
    auth: secretKey,
    query: listQuerySchema,
    success: { status: 200, description: "A page of keys.", body: { resource: "ApiKey", list: true } },
    errors: ["resource_missing"],
  },
  {
    method: "get",
    path: "/v1/api_keys/{id}",
    operationId: "retrieveApiKey",
    tag: "API keys",
    summary: "Retrieve an API key",
    auth: secretKey,
    success: { status: 200, description: "The key (redacted).", body: { resource: "ApiKey" } },
    errors: ["resource_missing"],
  },
  {
    method: "post",
    path: "/v1/api_keys/{id}/roll",
    operationId: "rollApiKey",
    tag: "API keys",
    summary: "Roll an API key",
    description: "Issues a replacement; the old key keeps working for `expires_in_seconds` (at most 7 days).",
    auth: secretKey,
    body: rollApiKeySchema,
    success: { status: 201, description: "The new key and the old one.", body: { resource: "RolledApiKey" } },
    errors: ["resource_missing", "api_key_cannot_mint"],
  },
  {
    method: "post",
    path: "/v1/api_keys/{id}/revoke",
    operationId: "revokeApiKey",
    tag: "API keys",
    summary: "Revoke an API key",
    auth: secretKey,
    body: emptyBodySchema,
    success: { status: 200, description: "The revoked key.", body: { resource: "ApiKey" } },
    errors: ["resource_missing"],
  },
];

export const apiKeyResources = [ApiKey, RolledApiKey];
