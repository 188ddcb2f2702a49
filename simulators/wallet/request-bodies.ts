import { z } from "zod";
import { type ErrorDetail, PayPalFailure } from "./paypal-error.js";

/**
 * The request bodies the simulator reads, checked as PayPal checks them: a body that breaks the
 * schema is a 400 INVALID_REQUEST whose detail names the field by JSON pointer
 * (`/purchase_units/0/amount/value`) and the issue (Orders v2 `400` schema). Fields PayPal has and
 * the simulator does not use are let through and ignored.
 */
const money = z.object({ currency_code: z.string().regex(/^[A-Z]{3}$/), value: z.string().min(1).max(32) });
const webUrl = z.url({ protocol: /^https?$/ }).max(4000);
const experience = z.object({
  return_url: webUrl.optional(),
  cancel_url: webUrl.optional(),
  brand_name: z.string().min(1).max(127).optional(),
  user_action: z.enum(["CONTINUE", "PAY_NOW"]).optional(),
});

export const createOrderBody = z.object({
  intent: z.enum(["CAPTURE", "AUTHORIZE"]),
  purchase_units: z
    .array(
      z.object({
        reference_id: z.string().min(1).max(256).optional(),
        custom_id: z.string().min(1).max(255).optional(),
        invoice_id: z.string().min(1).max(127).optional(),
        description: z.string().min(1).max(127).optional(),
        amount: money,
      }),
    )
    .min(1)
    // PayPal takes up to 10 purchase units; the simulator books one per order.
    .max(1),
  payment_source: z.object({ paypal: z.object({ experience_context: experience.optional() }) }).optional(),
  /** The older place for the same settings, still honoured by PayPal. */
  application_context: experience.optional(),
});

export const captureAuthorizationBody = z.object({
  amount: money.optional(),
  /** PayPal's default is false: more captures may follow, up to the authorized amount. */
  final_capture: z.boolean().optional(),
  invoice_id: z.string().min(1).max(127).optional(),
});

/** Payments v2 `refund_request`: the caller's own references for the refund, kept on it. */
export const refundBody = z.object({
  amount: money.optional(),
  custom_id: z.string().min(1).max(127).optional(),
  invoice_id: z.string().min(1).max(127).optional(),
  note_to_payer: z.string().min(1).max(255).optional(),
});

export const verifySignatureBody = z.object({
  auth_algo: z.string().max(100),
  cert_url: z.string().max(500),
  transmission_id: z.string().max(50),
  transmission_sig: z.string().max(500),
  transmission_time: z.string().max(100),
  webhook_id: z.string().max(50),
  webhook_event: z.record(z.string(), z.unknown()),
});

function valueAt(body: unknown, path: PropertyKey[]): unknown {
  let value = body;
  for (const key of path)
    value = value && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function detailOf(body: unknown, issue: z.core.$ZodIssue): ErrorDetail {
  const field = `/${issue.path.map(String).join("/")}`;
  const value = valueAt(body, issue.path);
  const paypalIssue =
    value === undefined
      ? "MISSING_REQUIRED_PARAMETER"
      : issue.code === "too_big" && Array.isArray(value)
        ? "INVALID_ARRAY_MAX_ITEMS"
        : issue.code === "too_small" && Array.isArray(value)
          ? "INVALID_ARRAY_MIN_ITEMS"
          : issue.code === "too_big" || issue.code === "too_small"
            ? "INVALID_STRING_LENGTH"
            : issue.code === "invalid_format"
              ? "INVALID_PARAMETER_SYNTAX"
              : "INVALID_PARAMETER_VALUE";
  return {
    field,
    ...(typeof value === "string" || typeof value === "number" ? { value: String(value) } : {}),
    location: "body",
    issue: paypalIssue,
  };
}

/** Parses `text` (an empty body is `{}`) with `schema`, or throws PayPal's 400. */
export function parseBody<T extends z.ZodType>(schema: T, text: string): z.output<T> {
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      throw new PayPalFailure(400, [{ issue: "MALFORMED_REQUEST_JSON", location: "body" }]);
    }
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new PayPalFailure(
      400,
      parsed.error.issues.slice(0, 5).map((issue) => detailOf(body, issue)),
    );
  return parsed.data;
}
