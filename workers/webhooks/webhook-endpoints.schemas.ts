import { z } from "zod";
import { EVENT_TYPES } from "../events/event-types.js";
import { freeText } from "../validation/free-text.js";
import { API_VERSIONS } from "../versions/api-versions.js";

const url = z
  .string()
  .max(2_048)
  .url()
  .refine((value) => /^https?:\/\//.test(value), { message: "must be an http(s) URL" })
  // The host rules depend on the deployment (WEBHOOK_LOCAL_RECEIVERS), so the routes check them.
  .describe("An `https` URL on a public host: no loopback, private or metadata address, internal name or credentials.");
const enabledEvents = z
  .array(z.enum(["*", ...EVENT_TYPES]))
  .min(1)
  .max(EVENT_TYPES.length + 1);

/** The version deliveries are rendered in; by default the account's `api_version`. */
const apiVersion = z.enum(API_VERSIONS);

export const createEndpointSchema = z.strictObject({
  url,
  enabled_events: enabledEvents,
  description: freeText(500).optional(),
  api_version: apiVersion.optional(),
});

export const updateEndpointSchema = z.strictObject({
  url: url.optional(),
  enabled_events: enabledEvents.optional(),
  description: freeText(500).optional(),
  api_version: apiVersion.optional(),
  /** true disables the endpoint (nothing is sent to it); false enables it again. */
  disabled: z.boolean().optional(),
});

export const rotateSecretSchema = z.strictObject({
  /** How long the old secret keeps signing beside the new one (default 24 h, at most 7 days). */
  expire_previous_in_seconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .optional(),
});

export const listSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  starting_after: z.string().max(100).optional(),
});
