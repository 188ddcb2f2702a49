import { z } from "zod";
import { BALANCE_TYPES } from "../../db/schema/balance-transactions.js";
import { calendarDay } from "../validation/calendar-day.js";

const limit = z.coerce.number().int().min(1).max(100).optional();

export const listSettlementsSchema = z.strictObject({
  limit,
  starting_after: z
    .string()
    .regex(/^st_[0-9a-f]{32}$/)
    .optional(),
});

export const listBalanceTransactionsSchema = z.strictObject({
  limit,
  starting_after: z
    .string()
    .regex(/^txn_[0-9a-f]{32}$/)
    .optional(),
  settlement: z
    .string()
    .regex(/^st_[0-9a-f]{32}$/)
    .optional(),
  type: z.enum(BALANCE_TYPES).optional(),
});

const day = calendarDay;

/** Ops: cut now (`day` defaults to today's business day, cut until now), one merchant or all. */
export const cutSettlementsSchema = z.strictObject({
  day: day.optional(),
  merchant: z.string().max(100).optional(),
  livemode: z.boolean().optional(),
});
