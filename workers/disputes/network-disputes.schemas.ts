import { z } from "zod";

export const chargebackSchema = z.strictObject({
  processor: z.string().min(1).max(40),
  network_reference: z.string().min(1).max(100),
  rrn: z.string().regex(/^[0-9A-Za-z]{12}$/),
  amount: z.number().int().positive(),
  currency: z.string().regex(/^[A-Za-z]{3}$/),
  reason: z.string().min(1).max(100),
});
