import { z } from "zod";
import { livemode, prefixedId, resource, unixSeconds } from "../openapi/fields.js";
import type { Operation } from "../openapi/operation.js";
import { EVENT_TYPES } from "./event-types.js";
import { listEventsSchema, resendSchema } from "./events.schemas.js";

export const Event = resource(
  "Event",
  z.strictObject({
    id: prefixedId("evt"),
    object: z.literal("event"),
    type: z.enum(EVENT_TYPES),
    livemode: livemode.describe("The mode of the object it is about; only keys of that mode see the event."),
    created: unixSeconds,
    data: z.strictObject({
      object: z.record(z.string(), z.unknown()).describe("The object as it was when the event happened."),
    }),
  }),
  "Something that happened to one of your objects; also the body of every webhook delivery.",
);

const EventResend = resource(
  "EventResend",
  z.strictObject({
    object: z.literal("event_resend"),
    event: z.string(),
    deliveries: z.array(z.string()).describe("The deliveries queued, one per endpoint."),
  }),
  "Deliveries queued again for an event.",
);

export const eventOperations: Operation[] = [
  {
    method: "get",
    path: "/v1/events",
    operationId: "listEvents",
    tag: "Events",
    summary: "List events",
    auth: { kind: "secret_key" },
    query: listEventsSchema,
    success: {
      status: 200,
      description: "A page of the key's mode's events, newest first.",
      body: { resource: "Event", list: true },
    },
  },
  {
    method: "get",
    path: "/v1/events/{id}",
    operationId: "retrieveEvent",
    tag: "Events",
    summary: "Retrieve an event",
    auth: { kind: "secret_key" },
    success: { status: 200, description: "The event.", body: { resource: "Event" } },
    errors: ["resource_missing"],
  },
  {
    method: "post",
    path: "/v1/events/{id}/resend",
    operationId: "resendEvent",
    tag: "Events",
    summary: "Send an event's webhooks again",
    auth: { kind: "secret_key" },
    body: resendSchema,
    success: { status: 200, description: "The deliveries queued.", body: { resource: "EventResend" } },
    errors: ["resource_missing"],
  },
];

export const eventResources = [Event, EventResend];
