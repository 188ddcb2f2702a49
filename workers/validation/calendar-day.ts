import { z } from "zod";

/** A calendar day that exists, YYYY-MM-DD (2026-02-30 does not): a 400 naming it, never a date that throws later. */
export const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date, YYYY-MM-DD")
  .refine((text) => {
    const at = Date.parse(`${text}T00:00:00Z`);
    return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === text;
  }, "must be a date that exists");
