import { z } from "zod";
import { EVENT_TYPES } from "../events/event-types.js";
import { livemode, prefixedId, resource, unixSeconds } from "../openapi/fields.js";
import type { Operation } from "../openapi/operation.js";
import { API_VERSIONS } from "../versions/api-versions.js";
import {
  createEndpointSchema,
  listSchema,
  rotateSecretSchema,
  updateEndpointSchema,
} from "./webhook-endpoints.schemas.js";

export const WebhookEndpoint = resource(
  "WebhookEndpoint",
  z.strictObject({
    id: prefixedId("we"),
    object: z.literal("webhook_endpoint"),
    livemode: livemode.describe("The creating key's mode: the endpoint receives only that mode's events."),
    url: z.string(),
    description: z.string().nullable(),
    enabled_events: z.array(z.enum(["*", ...EVENT_TYPES])),
    api_version: z.enum(API_VERSIONS).describe("The API version deliveries to it are rendered in."),
    status: z.enum(["enabled", "disabled"]),
    disabled_reason: z.string().nullable(),
    previous_secret_expires: unixSeconds.nullable().describe("Until then the old secret signs too."),
    created: unixSeconds,
    secret: z.string().optional().describe("The signing secret (`whsec_...`): only when created or rotated."),
  }),
  "A URL that receives events, signed per Standard Webhooks.",
);

const DeletedWebhookEndpoint = resource(
  "DeletedWebhookEndpoint",
  z.strictObject({ id: z.string(), object: z.literal("webhook_endpoint"), deleted: z.literal(true) }),
  "A deleted endpoint.",
);

const WebhookDelivery = resource(
  "WebhookDelivery",
  z.strictObject({
    id: prefixedId("whd"),
    object: z.literal("webhook_delivery"),
    livemode,
    event: z.string(),
    event_type: z.string(),
    endpoint: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempts_count: z.number().int(),
    next_attempt: unixSeconds.nullable(),
    last_status_code: z.number().int().nullable(),
    attempts: z.array(
      z.strictObject({
        attempt: z.number().int(),
        created: unixSeconds,
        status_code: z.number().int().nullable(),
        latency_ms: z.number().int().nullable(),
        response_excerpt: z.string().nullable(),
        error: z.string().nullable(),
      }),
    ),
    created: unixSeconds,
  }),
  "One event's delivery to one endpoint, with every attempt.",
);

const secretKey = { kind: "secret_key" } as const;
const tag = "Webhook endpoints";

export const webhookEndpointOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/webhook_endpoints",
    operationId: "createWebhookEndpoint",
    tag,
    summary: "Create a webhook endpoint",
    auth: secretKey,
    body: createEndpointSchema,
    success: { status: 201, description: "The endpoint, with its `secret`.", body: { resource: "WebhookEndpoint" } },
    errors: ["url_not_allowed"],
  },
  {
    method: "get",
    path: "/v1/webhook_endpoints",
    operationId: "listWebhookEndpoints",
    tag,
    summary: "List webhook endpoints",
    auth: secretKey,
    query: listSchema,
    success: { status: 200, description: "A page of endpoints.", body: { resource: "WebhookEndpoint", list: true } },
  },
  {
    method: "get",
    path: "/v1/webhook_endpoints/{id}",
    operationId: "retrieveWebhookEndpoint",
    tag,
    summary: "Retrieve a webhook endpoint",
    auth: secretKey,
    success: { status: 200, description: "The endpoint.", body: { resource: "WebhookEndpoint" } },
    errors: ["resource_missing"],
  },
  {
    method: "post",
    path: "/v1/webhook_endpoints/{id}",
    operationId: "updateWebhookEndpoint",
    tag,
    summary: "Update a webhook endpoint",
    auth: secretKey,
    body: updateEndpointSchema,
    success: { status: 200, description: "The updated endpoint.", body: { resource: "WebhookEndpoint" } },
    errors: ["resource_missing", "url_not_allowed"],
  },
  {
    method: "delete",
    path: "/v1/webhook_endpoints/{id}",
    operationId: "deleteWebhookEndpoint",
    tag,
    summary: "Delete a webhook endpoint",
    auth: secretKey,
    success: { status: 200, description: "The deletion.", body: { resource: "DeletedWebhookEndpoint" } },
    errors: ["resource_missing"],
  },
  {
    method: "post",
    path: "/v1/webhook_endpoints/{id}/rotate_secret",
    operationId: "rotateWebhookSecret",
    tag,
    summary: "Rotate an endpoint's signing secret",
    auth: secretKey,
    body: rotateSecretSchema,
    success: {
      status: 200,
      description: "The endpoint, with its new `secret`.",
      body: { resource: "WebhookEndpoint" },
    },
    errors: ["resource_missing"],
  },
  {
    method: "get",
    path: "/v1/webhook_endpoints/{id}/deliveries",
    operationId: "listWebhookDeliveries",
    tag,
    summary: "List an endpoint's deliveries",
    auth: secretKey,
    query: listSchema,
    success: { status: 200, description: "A page of deliveries.", body: { resource: "WebhookDelivery", list: true } },
    errors: ["resource_missing"],
  },
];

export const webhookEndpointResources = [WebhookEndpoint, DeletedWebhookEndpoint, WebhookDelivery];
