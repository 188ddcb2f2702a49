import { z } from "zod";
import { containsCardNumber } from "../../common/card-like-text.js";
import { isVpa } from "../../common/upi/upi-vpa.js";
import { amount, currency } from "../payments/payments.schemas.js";
import { freeText } from "../validation/free-text.js";

/** Seconds a session stays payable: 30 minutes unless the create says, from 5 minutes to 24 hours (Stripe's bounds). */
export const DEFAULT_EXPIRES_IN = 30 * 60;

/**
 * The methods a hosted page can complete: the card in the vault's frame, PayPal by a trip to the
 * wallet's approval page and back, and UPI by a collect request the payer approves in their app
 * while the page waits.
 */
export const HOSTED_METHODS = ["card", "paypal", "upi"] as const;
export type HostedMethod = (typeof HOSTED_METHODS)[number];

const merchantUrl = z.string().min(1).max(2_048);

export const createCheckoutSessionSchema = z.strictObject({
  /** Integer minor units (DESIGN invariant 1), as a payment's. */
  amount,
  currency,
  success_url: merchantUrl.describe(
    "Where the customer goes once paid. `{CHECKOUT_SESSION_ID}` in it is replaced by the session id; without it, `session_id` is added to the query.",
  ),
  cancel_url: merchantUrl.describe("Where the page's cancel link goes."),
  payment_method_types: z
    .array(z.enum(HOSTED_METHODS))
    .min(1)
    .max(3)
    .default(["card"])
    .describe("The methods the page offers, in this order: `card` (the default), `paypal`, `upi` (inr only)."),
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

/**
 * The page's pay request, with the page's own secret: `card` (the default, as the first pages sent
 * it) with the token from the vault's frame, `paypal`, which carries nothing more, or `upi` with the
 * payer's VPA (checked as `POST /v1/payments` checks it).
 */
export const payCheckoutSessionSchema = z
  .strictObject({
    method: z.enum(HOSTED_METHODS).default("card"),
    token: z
      .string()
      .regex(/^tok_[0-9A-Za-z]+$/, "must be a tok_ id")
      .optional(),
    vpa: z
      .string()
      .max(255)
      .refine(isVpa, { message: "must be a UPI ID, such as name@bank" })
      .refine((vpa) => !containsCardNumber(vpa), { message: "must not contain a card number" })
      .optional(),
    page_secret: z.string().regex(/^[0-9A-Za-z_-]{43}$/, "must be the page's secret"),
  })
  .superRefine((body, context) => {
    if (body.method === "card" && body.token === undefined) {
      context.addIssue({ code: "custom", path: ["token"], message: "is required to pay by card" });
    }
    if (body.method !== "card" && body.token !== undefined) {
      context.addIssue({ code: "custom", path: ["token"], message: `does not apply to ${body.method}` });
    }
    if (body.method === "upi" && body.vpa === undefined) {
      context.addIssue({ code: "custom", path: ["vpa"], message: "is required to pay by UPI" });
    }
    if (body.method !== "upi" && body.vpa !== undefined) {
      context.addIssue({ code: "custom", path: ["vpa"], message: `does not apply to ${body.method}` });
    }
  });
