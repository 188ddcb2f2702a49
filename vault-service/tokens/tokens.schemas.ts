import { z } from "zod";

/** Forms send strings, scripts send numbers; both mean the same month or year. */
const integer = (pattern: RegExp) =>
  z.union([z.number(), z.string().regex(pattern, "must be a number").transform(Number)]).pipe(z.number().int());

/**
 * `POST /v1/tokens`. Shapes only: whether the number, expiry and security code make a usable card
 * is `checkCard`'s job, which answers with card errors a checkout can show. The number may carry
 * the spaces or dashes people type; they are dropped here.
 */
export const createTokenSchema = z.strictObject({
  card: z.strictObject({
    number: z
      .string()
      .max(40)
      .transform((value) => value.replace(/[\s-]/g, "")),
    exp_month: integer(/^\d{1,2}$/).pipe(z.number().min(1).max(12)),
    // Two-digit years are this century's, as printed on the card (MM/YY).
    exp_year: integer(/^\d{2}(\d{2})?$/)
      .pipe(z.number().min(0).max(9999))
      .transform((year) => (year < 100 ? 2000 + year : year)),
    cvc: z.string().max(8),
    name: z.string().trim().max(200).optional(),
  }),
});

export type CreateTokenInput = z.output<typeof createTokenSchema>;
