import { z } from "zod";
import { ENDPOINT_GROUPS } from "./endpoint-groups.js";

export const groupLimit = z.strictObject({
  limit: z.number().int().min(1).max(1_000_000),
  window_seconds: z.number().int().min(1).max(3_600),
});
export const overridesSchema = z.strictObject({
  limits: z.partialRecord(z.enum(ENDPOINT_GROUPS), groupLimit),
});
