import { z } from "zod";

export const listSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  starting_after: z.string().max(100).optional(),
});

export const evidenceSchema = z.strictObject({ text: z.string().min(1).max(20_000) });
