import { z } from "zod";
import { REPORT_TYPES } from "../../db/schema/reports.js";

const unixSeconds = z.number().int().min(0).max(253_402_300_799);

export const createReportSchema = z
  .strictObject({
    type: z.enum(REPORT_TYPES),
    "created[gte]": unixSeconds.optional(),
    "created[lte]": unixSeconds.optional(),
  })
  .refine(
    (body) =>
      body["created[gte]"] === undefined ||
      body["created[lte]"] === undefined ||
      body["created[gte]"] <= body["created[lte]"],
    { message: "must not be before created[gte]", path: ["created[lte]"] },
  );

export const downloadSchema = z.strictObject({
  expires: z.string().max(12),
  signature: z.string().max(64),
});

export const listReportsSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  starting_after: z
    .string()
    .regex(/^rpt_[0-9A-Za-z]{24}$/)
    .optional(),
});
