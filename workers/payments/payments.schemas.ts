import { z } from "zod";
import { isCurrency } from "../../common/currencies.js";
import { freeText } from "../validation/free-text.js";

const currency = z
  .string()
  .meta({ description: "ISO 4217 code, either case.", examples: ["usd"] })
  .transform((value) => value.toUpperCase())
  .refine(isCurrency, { message: "must be an ISO 4217 currency code (usd, eur, inr, ...)" });

/** Amounts are integers in the currency's minor unit (DESIGN invariant 1). */
const amount = z.number().int().positive().max(99_999_999);

export const createPaymentSchema = z.strictObject({
  amount,
  currency,
  payment_method: z.strictObject({
    type: z.literal("card"),
    token: z.string().regex(/^tok_[0-9A-Za-z]+$/, "must be a tok_ id"),
  }),
  capture_method: z.enum(["automatic", "manual"]).default("automatic"),
  description: freeText(500).optional(),
  metadata: z.record(z.string().max(40), freeText(500)).optional(),
  customer: freeText(100).optional(),
});

export const captureSchema = z.strictObject({ amount_to_capture: amount.optional() });
export const cancelSchema = z.strictObject({});
export const refundSchema = z.strictObject({
  amount: amount.optional(),
  reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).optional(),
});

const unixSeconds = z.coerce.number().int().min(0);

export const listPaymentsSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  starting_after: z
    .string()
    .regex(/^pay_[0-9a-f]{64}$/)
    .optional(),
  status: z
    .enum(["created", "processing", "authorized", "captured", "partially_refunded", "refunded", "failed", "voided"])
    .optional(),
  "created[gte]": unixSeconds.optional(),
  "created[lte]": unixSeconds.optional(),
});
