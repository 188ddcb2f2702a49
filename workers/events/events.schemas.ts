import { z } from "zod";
import { EVENT_TYPES } from "./event-types.js";

const unixSeconds = z.coerce.number().int().min(0);

export const listEventsSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  starting_after: z.string().max(100).optional(),
  type: z.enum(EVENT_TYPES).optional(),
  "created[gte]": unixSeconds.optional(),
  "created[lte]": unixSeconds.optional(),
});

export const resendSchema = z.strictObject({
  /** One endpoint (`we_...`); without it, every enabled endpoint subscribed to the event's type. */
  endpoint: z.string().max(100).optional(),
});
