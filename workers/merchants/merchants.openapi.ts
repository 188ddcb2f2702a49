import { z } from "zod";
import { ApiKey } from "../api-keys/api-keys.openapi.js";
import { opsCreateApiKeySchema } from "../api-keys/api-keys.schemas.js";
import { optimisticVersion, prefixedId, resource, unixSeconds } from "../openapi/fields.js";
import type { Operation } from "../openapi/operation.js";
import { API_VERSIONS } from "../versions/api-versions.js";
import { createMerchantSchema, updateMerchantSchema } from "./merchants.schemas.js";

export const Merchant = resource(
  "Merchant",
  z.strictObject({
    id: prefixedId("acct"),
    object: z.literal("merchant"),
    name: z.string(),
    email: z.string(),
    country: z.string().length(2),
    default_currency: z.string().length(3),
    status: z.string(),
    settlement_config: z.strictObject({
      schedule: z.enum(["daily", "weekly", "monthly"]),
      delay_days: z.number().int(),
      cutoff_hour: z
        .number()
        .int()
        .optional()
        .describe("When the business day closes for settlement, in UTC hours (0, midnight, when absent)."),
      currency: z.string().length(3),
      statement_descriptor: z.string().nullable(),
    }),
    tokenization_origins: z.array(z.string()),
    api_version: z.enum(API_VERSIONS).describe("The version requests without an `Api-Version` header get."),
    created: unixSeconds,
    updated: unixSeconds,
    version: optimisticVersion,
  }),
  "A merchant account: its profile, settlement schedule and API defaults.",
);

const NewMerchant = resource(
  "NewMerchant",
  Merchant.extend({ keys: z.strictObject({ secret: ApiKey, publishable: ApiKey }) }),
  "A merchant just created, with its first keys; their `secret` appears only in this answer.",
);

export const merchantOperations: Operation[] = [
  {
    method: "get",
    path: "/v1/merchant",
    operationId: "retrieveOwnMerchant",
    tag: "Merchant",
    summary: "Retrieve your merchant profile",
    auth: { kind: "secret_key" },
    success: { status: 200, description: "Your merchant.", body: { resource: "Merchant" } },
  },
  {
    method: "patch",
    path: "/v1/merchant",
    operationId: "updateOwnMerchant",
    tag: "Merchant",
    summary: "Update your merchant profile",
    description:
      "Also where you move your account to another `api_version`: at once for requests this edge location serves, everywhere within 30 s (the key cache). Pin `Api-Version` on your requests while you migrate.",
    auth: { kind: "secret_key" },
    body: updateMerchantSchema,
    success: { status: 200, description: "The updated merchant.", body: { resource: "Merchant" } },
  },
  {
    method: "post",
    path: "/v1/merchants",
    operationId: "createMerchant",
    tag: "Ops: merchants",
    summary: "Onboard a merchant",
    auth: { kind: "ops", scope: "merchants:write" },
    body: createMerchantSchema,
    success: { status: 201, description: "The merchant and its first keys.", body: { resource: "NewMerchant" } },
  },
  {
    method: "get",
    path: "/v1/merchants/{id}",
    operationId: "retrieveMerchant",
    tag: "Ops: merchants",
    summary: "Retrieve a merchant",
    auth: { kind: "ops", scope: "merchants:read" },
    success: { status: 200, description: "The merchant.", body: { resource: "Merchant" } },
    errors: ["resource_missing"],
  },
  {
    method: "post",
    path: "/v1/merchants/{id}/api_keys",
    operationId: "createMerchantApiKey",
    tag: "Ops: merchants",
    summary: "Issue an API key for a merchant",
    auth: { kind: "ops", scope: "api_keys:write" },
    body: opsCreateApiKeySchema,
    success: { status: 201, description: "The key, with its `secret` (shown once).", body: { resource: "ApiKey" } },
    errors: ["resource_missing"],
  },
];

export const merchantResources = [Merchant, NewMerchant];
