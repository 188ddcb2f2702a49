import { z } from "zod";
import { freeText } from "../validation/free-text.js";

export const listSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  starting_after: z.string().max(100).optional(),
});

export const evidenceSchema = z.strictObject({ text: freeText(20_000, 1) });
