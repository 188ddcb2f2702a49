import { z } from "zod";
import { EXCEPTION_CLASSES } from "../../db/schema/reconciliation.js";
import { calendarDay } from "../validation/calendar-day.js";
import { RECONCILABLE_PROCESSORS } from "./report-sources.js";

const day = calendarDay;

const runId = z.string().regex(/^rcn_[0-9a-f]{32}$/);

/** Ops: reconcile a processor's file for a day (today's so far by default), test mode unless `livemode`. */
export const createRunSchema = z.strictObject({
  processor: z.enum(RECONCILABLE_PROCESSORS),
  day: day.optional(),
  livemode: z.boolean().optional(),
});

/** Runs, newest first, by processor, day or mode when asked. */
export const listRunsSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  starting_after: runId.optional(),
  processor: z.enum(RECONCILABLE_PROCESSORS).optional(),
  day: day.optional(),
  livemode: z.enum(["true", "false"]).optional(),
});

/** One run with a page of its exceptions: one class when asked, after `starting_after` (an exception's `seq`). */
export const retrieveRunSchema = z.strictObject({
  class: z.enum(EXCEPTION_CLASSES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  starting_after: z.coerce.number().int().min(0).optional(),
});
