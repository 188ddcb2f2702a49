import { z } from "zod";
import { isCurrency } from "../../common/currencies.js";
import { freeText } from "../validation/free-text.js";

/** Seconds a session stays payable: 30 minutes unless the create says, from 5 minutes to 24 hours (Stripe's bounds). */
export const DEFAULT_EXPIRES_IN = 30 * 60;

/**
 * The methods a hosted page can complete today. UPI and PayPal pay on pages of their own (the
 * payer's app, the wallet); the page offers them once it can finish them too.
 */
export const HOSTED_METHODS = ["card"] as const;

const merchantUrl = z.string().min(1).max(2_048);

export const createCheckoutSessionSchema = z.strictObject({
  /** Integer minor units (DESIGN invariant 1), as a payment's. */
  amount: z.number().int().positive().max(99_999_999),
  currency: z
    .string()
    .meta({ description: "ISO 4217 code, either case.", examples: ["usd"] })
    .transform((value) => value.toUpperCase())
    .refine(isCurrency, { message: "must be an ISO 4217 currency code (usd, eur, inr, ...)" }),
  success_url: merchantUrl.describe(
    "Where the customer goes once paid. `{CHECKOUT_SESSION_ID}` in it is replaced by the session id; without it, `session_id` is added to the query.",
  ),
  cancel_url: merchantUrl.describe("Where the page's cancel link goes."),
  payment_method_types: z
    .array(z.enum(["card", "upi", "paypal"]))
    .min(1)
    .max(3)
    .default(["card"])
    .describe("The methods the page offers: `card` (the default) only, for now."),
  description: freeText(500).optional(),
  metadata: z.record(z.string().max(40), freeText(500)).optional(),
  expires_in: z
    .number()
    .int()
    .min(300)
    .max(86_400)
    .optional()
    .describe("Seconds until the session expires unpaid: 300 to 86,400, 1,800 by default."),
});

export const expireCheckoutSessionSchema = z.strictObject({});

/** The page's pay request: the card token from the vault's frame, and the page's own secret. */
export const payCheckoutSessionSchema = z.strictObject({
  token: z.string().regex(/^tok_[0-9A-Za-z]+$/, "must be a tok_ id"),
  page_secret: z.string().regex(/^[0-9A-Za-z_-]{43}$/, "must be the page's secret"),
});
