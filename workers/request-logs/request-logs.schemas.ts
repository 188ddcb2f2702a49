import { z } from "zod";

export const listSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  starting_after: z.string().max(100).optional(),
  status: z.coerce.number().int().min(100).max(599).optional(),
  /** A path prefix, e.g. `/v1/payments`. */
  path: z.string().startsWith("/").max(200).optional(),
});
