import { z } from "zod";
import { containsCardNumber } from "../../common/card-like-text.js";
import { isCurrency } from "../../common/currencies.js";
import { isVpa } from "../../common/upi/upi-vpa.js";
import { PAYMENT_STATUSES } from "../../db/schema/payments.js";
import { freeText } from "../validation/free-text.js";
import { unixSecondsQuery } from "../validation/unix-seconds.js";

/** A currency as every create takes it (payments, checkout sessions): either case, stored upper. */
export const currency = z
  .string()
  .meta({ description: "ISO 4217 code, either case.", examples: ["usd"] })
  .transform((value) => value.toUpperCase())
  .refine(isCurrency, { message: "must be an ISO 4217 currency code (usd, eur, inr, ...)" });

/** Amounts are integers in the currency's minor unit (DESIGN invariant 1). */
export const amount = z.number().int().positive().max(99_999_999);

/**
 * How long a UPI collect request or intent stays payable, in minutes: NPCI leaves it to the PSP
 * (PSPs allow from 1 minute to 45 days, 64,800 minutes; sources in ../shared/notes/processors.md).
 */
const upiExpiry = z.number().int().min(1).max(64_800).optional();

/** A UPI payment: a collect request to the payer's VPA, or an intent any UPI app can pay (issue 14). */
const upiPaymentMethod = z.strictObject({
  type: z.literal("upi"),
  upi: z.discriminatedUnion("flow", [
    z.strictObject({
      flow: z.literal("collect"),
      vpa: z
        .string()
        .max(255)
        .refine(isVpa, { message: "must be a UPI virtual payment address, such as name@bank" })
        // A VPA is sent to the switch and kept; one shaped like a card number is refused, as free text is.
        .refine((vpa) => !containsCardNumber(vpa), {
          message: "must not contain a card number (13-19 digits that pass the Luhn check)",
        }),
      expires_after_minutes: upiExpiry,
    }),
    z.strictObject({ flow: z.literal("intent"), expires_after_minutes: upiExpiry }),
  ]),
});

/** Where the payer goes back to after a redirect: checked in full by wallet-payment-request.ts (scheme, mode). */
const returnUrl = z.string().min(1).max(2_048);

/** A PayPal payment (issue 15): the payer approves it at the wallet, sent there by `next_action`. */
const paypalPaymentMethod = z.strictObject({
  type: z.literal("paypal"),
  return_url: returnUrl.optional(),
  cancel_url: returnUrl.optional(),
});

const cardPaymentMethod = z.strictObject({
  type: z.literal("card"),
  token: z.string().regex(/^tok_[0-9A-Za-z]+$/, "must be a tok_ id"),
});

export const createPaymentSchema = z.strictObject({
  amount,
  currency,
  payment_method: z.discriminatedUnion("type", [cardPaymentMethod, upiPaymentMethod, paypalPaymentMethod]),
  capture_method: z.enum(["automatic", "manual"]).default("automatic"),
  /** Stripe's place for them; `payment_method[return_url]` works as well. */
  return_url: returnUrl.optional(),
  cancel_url: returnUrl.optional(),
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

/** The longest range a summary covers: a quarter, so its days stay a short list and its scan bounded. */
export const SUMMARY_MAX_DAYS = 92;

export const paymentSummarySchema = z
  .strictObject({
    "created[gte]": unixSecondsQuery.describe("The range's start (unix seconds), inclusive."),
    "created[lt]": unixSecondsQuery
      .optional()
      .describe(
        `The range's end (unix seconds), exclusive; now by default. At most ${SUMMARY_MAX_DAYS} days after the start.`,
      ),
  })
  .superRefine((value, ctx) => {
    // Without an end the range runs to now: then it is the start that is out of range.
    const given = value["created[lt]"];
    const end = given ?? Math.ceil(Date.now() / 1000);
    const param = given === undefined ? "created[gte]" : "created[lt]";
    if (end <= value["created[gte]"]) {
      ctx.addIssue({ code: "custom", path: [param], message: "the range must end after created[gte]" });
    } else if (end - value["created[gte]"] > SUMMARY_MAX_DAYS * 86_400) {
      ctx.addIssue({ code: "custom", path: [param], message: `the range must be at most ${SUMMARY_MAX_DAYS} days` });
    }
  });

export const listPaymentsSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  starting_after: z
    .string()
    .regex(/^pay_[0-9a-f]{64}$/)
    .optional(),
  status: z.enum(PAYMENT_STATUSES).optional(),
  "created[gte]": unixSecondsQuery.optional(),
  "created[lte]": unixSecondsQuery.optional(),
});
