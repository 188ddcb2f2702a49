import { z } from "zod";

/**
 * `GET /v1/ops/audit/chain`: a page of chain objects after sequence `after` (0: from the first),
 * or, with `from`, starting at the predecessor of the first object sealed that day (so the
 * verifier checks that object's link back).
 */
export const auditChainQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(0).optional(),
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date, YYYY-MM-DD")
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
