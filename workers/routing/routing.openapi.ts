import { z } from "zod";
import { CARD_BRANDS } from "../../common/card-brands.js";
import { PROCESSOR_IDS } from "../../common/processor-registry.js";
import { livemode, resource, unixSeconds } from "../openapi/fields.js";
import type { Operation } from "../openapi/operation.js";
import { SKIP_REASONS } from "./eligibility.js";
import { putRoutingSchema, simulateRoutingSchema } from "./routing.schemas.js";

const processorId = z.enum(PROCESSOR_IDS);
const processors = z.array(processorId);

/** The routes as stored: request shapes with codes upper-cased and defaults filled in. */
const Route = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("priority"), processors }),
  z.strictObject({
    type: z.literal("volume_split"),
    splits: z.array(z.strictObject({ processor: processorId, weight: z.number().int() })),
  }),
  z.strictObject({ type: z.literal("cheapest_first"), processors: processors.optional() }),
  z.strictObject({ type: z.literal("success_rate"), processors: processors.optional(), hedge: z.number().optional() }),
]);

export const RoutingConfig = resource(
  "RoutingConfig",
  z.strictObject({
    object: z.literal("routing_config"),
    livemode,
    version: z.number().int().min(0).describe("Increases by one on every change; 0 is the platform default."),
    updated: unixSeconds.nullable().describe("null while the platform default applies."),
    rules: z.array(
      z.strictObject({
        name: z.string(),
        conditions: z.strictObject({
          method: z.literal("card").optional(),
          brands: z.array(z.enum(CARD_BRANDS)).optional(),
          issuer_countries: z.array(z.string().length(2)).optional(),
          region: z.enum(["domestic", "international"]).optional(),
          currencies: z.array(z.string().length(3)).optional(),
          amount_gte: z.number().int().optional(),
          amount_lte: z.number().int().optional(),
          metadata: z.record(z.string(), z.string()).optional(),
        }),
        route: Route,
      }),
    ),
    default: Route,
    disabled: processors,
    max_attempts: z.number().int().min(1).optional().describe("Processors one payment may try; 3 when absent."),
  }),
  "Your routing rules in one mode: tried in order, first match wins, `default` otherwise.",
);

export const RoutingDecision = resource(
  "RoutingDecision",
  z.strictObject({
    object: z.literal("routing_decision"),
    livemode,
    config_version: z.number().int().min(0),
    rule: z.string().describe("The rule that matched, or `default`."),
    candidates: processors.describe("The processors a payment would try, in order; empty when none can take it."),
    skipped: z.array(
      z.strictObject({
        processor: processorId,
        reason: z.enum(SKIP_REASONS),
      }),
    ),
    explanation: z.string(),
    draw: z.number(),
    hedge_draw: z.number(),
  }),
  "Where a payment would go, why, and the draws used (send them back to replay the decision).",
);

export const routingOperations: Operation[] = [
  {
    method: "get",
    path: "/v1/routing",
    operationId: "retrieveRouting",
    tag: "Routing",
    summary: "Retrieve your routing rules",
    description: "For the mode of the key you call with. With none stored, the platform default at version 0.",
    auth: { kind: "secret_key" },
    success: { status: 200, description: "The configuration.", body: { resource: "RoutingConfig" } },
  },
  {
    method: "put",
    path: "/v1/routing",
    operationId: "replaceRouting",
    tag: "Routing",
    summary: "Replace your routing rules",
    description:
      "The whole configuration; fields left out take the platform default's. Send `expected_version` (the version you read) and a concurrent change is refused with 409 instead of overwritten.",
    auth: { kind: "secret_key" },
    body: putRoutingSchema,
    success: { status: 200, description: "The configuration now.", body: { resource: "RoutingConfig" } },
    errors: ["version_conflict"],
  },
  {
    method: "post",
    path: "/v1/routing/simulate",
    operationId: "simulateRouting",
    tag: "Routing",
    summary: "Dry-run a routing decision",
    description:
      "Decides a hypothetical card payment with your stored rules and the processors' current health, and explains it. Nothing is charged or stored.",
    auth: { kind: "secret_key" },
    body: simulateRoutingSchema,
    success: { status: 200, description: "The decision.", body: { resource: "RoutingDecision" } },
  },
];

export const routingResources = [RoutingConfig, RoutingDecision];
