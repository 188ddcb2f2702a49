import { z } from "zod";
import type { FormObject } from "./form-encoding.js";
import { invalidRequest } from "./stripe-error.js";

/**
 * The parameters each endpoint takes, as Stripe documents them (docs.stripe.com/api), decoded
 * from form strings. A bad one is refused the way Stripe refuses it: 400 `invalid_request_error`
 * naming the parameter in bracket notation (code `parameter_unknown` or `parameter_missing` where
 * Stripe gives one). Messages never repeat a value: it may be a card number.
 */
const integer = z
  .string()
  .regex(/^\d{1,12}$/, "must be an integer")
  .transform(Number);
const positiveInteger = integer.refine((value) => value >= 1, "must be at least 1");
const boolean = z.enum(["true", "false"]).transform((value) => value === "true");
const metadata = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((entries) => Object.keys(entries).length <= 50, "can have at most 50 keys");
const expand = z.array(z.enum(["latest_charge"])).optional();

export const cardParams = z.strictObject({
  number: z.string(),
  exp_month: integer,
  exp_year: integer,
  cvc: z.string().optional(),
});

const paymentMethodData = z.strictObject({
  type: z.literal("card"),
  card: cardParams,
  metadata: metadata.optional(),
});

export const createIntentParams = z.strictObject({
  amount: positiveInteger,
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, "must be a three-letter ISO currency code")
    .transform((code) => code.toLowerCase()),
  capture_method: z.enum(["automatic", "automatic_async", "manual"]).optional(),
  confirm: boolean.optional(),
  payment_method_data: paymentMethodData.optional(),
  payment_method_types: z.array(z.literal("card")).optional(),
  description: z.string().max(1000).optional(),
  metadata: metadata.optional(),
  expand,
});

export const confirmIntentParams = z.strictObject({ payment_method_data: paymentMethodData.optional(), expand });

export const captureIntentParams = z.strictObject({
  amount_to_capture: positiveInteger.optional(),
  metadata: metadata.optional(),
  expand,
});

export const cancelIntentParams = z.strictObject({
  cancellation_reason: z.enum(["duplicate", "fraudulent", "requested_by_customer", "abandoned"]).optional(),
  expand,
});

export const retrieveIntentParams = z.strictObject({ client_secret: z.string().optional(), expand });

/** `page` is the `next_page` of a previous answer (payment-intent-search.ts). */
export const searchIntentParams = z.strictObject({
  query: z.string(),
  limit: integer.refine((value) => value >= 1 && value <= 100, "must be between 1 and 100").default(10),
  page: z.string().min(1).optional(),
  expand: z.array(z.enum(["data.latest_charge"])).optional(),
});

export const createRefundParams = z.strictObject({
  payment_intent: z.string().min(1),
  amount: positiveInteger.optional(),
  reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).optional(),
  metadata: metadata.optional(),
  expand: z.array(z.string()).max(0).optional(),
});

/** Parses a decoded form with `schema`, or throws the 400 Stripe would answer. */
export function parseParams<T extends z.ZodType>(schema: T, form: FormObject): z.output<T> {
  const parsed = schema.safeParse(form, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  if (issue.code === "unrecognized_keys") {
    const param = bracketed([...issue.path, issue.keys[0] ?? ""]);
    throw invalidRequest(`Received unknown parameter: ${param}`, param, "parameter_unknown");
  }
  const param = bracketed(issue.path);
  if (issue.code === "invalid_type" && issue.input === undefined) {
    throw invalidRequest(`Missing required param: ${param}.`, param, "parameter_missing");
  }
  throw invalidRequest(`Invalid ${param}: ${issue.message}`, param);
}

/** ["payment_method_data", "card", "cvc"] -> `payment_method_data[card][cvc]`. */
export function bracketed(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  return `${head ?? ""}${rest.map((part) => `[${part}]`).join("")}`;
}
