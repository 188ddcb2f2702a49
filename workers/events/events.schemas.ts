import { z } from "zod";
import { unixSecondsQuery } from "../validation/unix-seconds.js";
import { EVENT_TYPES } from "./event-types.js";

export const listEventsSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  starting_after: z.string().max(100).optional(),
  type: z.enum(EVENT_TYPES).optional(),
  "created[gte]": unixSecondsQuery.optional(),
  "created[lte]": unixSecondsQuery.optional(),
});

export const resendSchema = z.strictObject({
  /** One endpoint (`we_...`); without it, every enabled endpoint subscribed to the event's type. */
  endpoint: z.string().max(100).optional(),
});
