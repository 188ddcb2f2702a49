import { z } from "zod";
import { resource } from "../openapi/fields.js";
import type { Operation } from "../openapi/operation.js";
import { ENDPOINT_GROUPS } from "./endpoint-groups.js";
import { groupLimit, overridesSchema } from "./rate-limits.schemas.js";

const RateLimits = resource(
  "RateLimits",
  z.strictObject({
    object: z.literal("rate_limits"),
    merchant: z.string(),
    overrides: z.partialRecord(z.enum(ENDPOINT_GROUPS), groupLimit),
    effective: z.record(
      z.enum(ENDPOINT_GROUPS),
      groupLimit.extend({ limiter_objects: z.number().int().describe("Durable Objects the count is spread over.") }),
    ),
    defaults: z.record(z.enum(ENDPOINT_GROUPS), groupLimit),
  }),
  "A merchant's request limits per endpoint group: ops overrides, defaults, and what applies.",
);

export const rateLimitOperations: Operation[] = [
  {
    method: "get",
    path: "/v1/merchants/{id}/rate_limits",
    operationId: "retrieveRateLimits",
    tag: "Ops: merchants",
    summary: "Read a merchant's rate limits",
    auth: { kind: "ops", scope: "merchants:read" },
    success: { status: 200, description: "The limits.", body: { resource: "RateLimits" } },
    errors: ["resource_missing"],
  },
  {
    method: "put",
    path: "/v1/merchants/{id}/rate_limits",
    operationId: "replaceRateLimits",
    tag: "Ops: merchants",
    summary: "Replace a merchant's rate-limit overrides",
    description: "Groups left out go back to the defaults. Isolates pick the change up within 30 s.",
    auth: { kind: "ops", scope: "merchants:write" },
    body: overridesSchema,
    success: { status: 200, description: "The limits now.", body: { resource: "RateLimits" } },
    errors: ["resource_missing"],
  },
];

export const rateLimitResources = [RateLimits];
