import { z } from "zod";
import { minorUnits } from "./wallet-money.js";

/**
 * PayPal's resources as the connector reads them: Orders v2 `order`, Payments v2 `capture`,
 * `authorization` and `refund`, the error shape, the OAuth token and the webhook envelope. Only
 * the members the gateway uses are kept (zod drops the rest). The status enums are PayPal's
 * (`order_status`, `capture_status`, `authorization_status`, `refund_status`, as generated from
 * PayPal's OpenAPI into its server SDK: paypal/PayPal-TypeScript-Server-SDK src/models/*Status.ts).
 * An answer that does not parse (a status PayPal adds later included) is no answer: the caller asks
 * again, and nothing is decided on what was not understood.
 */
export const ORDER_STATUSES = ["CREATED", "SAVED", "APPROVED", "VOIDED", "COMPLETED", "PAYER_ACTION_REQUIRED"] as const;
export const CAPTURE_STATUSES = [
  "COMPLETED",
  "DECLINED",
  "PARTIALLY_REFUNDED",
  "PENDING",
  "REFUNDED",
  "FAILED",
] as const;
export const AUTHORIZATION_STATUSES = [
  "CREATED",
  "CAPTURED",
  "DENIED",
  "PARTIALLY_CAPTURED",
  "VOIDED",
  "PENDING",
] as const;
export const REFUND_STATUSES = ["CANCELLED", "FAILED", "PENDING", "COMPLETED"] as const;

/** PayPal's ids are 17 upper-case letters and digits; the bound keeps anything odd out of URLs and logs. */
const id = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);
const text = z.string().max(4_000);

const money = z
  .object({ currency_code: z.string().regex(/^[A-Z]{3}$/), value: z.string().max(32) })
  .refine((amount) => minorUnits(amount.value, amount.currency_code) !== null, "not an amount in minor units");

const statusDetails = z.object({ reason: text.optional() }).optional();
const links = z.array(z.object({ href: text, rel: text, method: text.optional() })).optional();
const relatedIds = z
  .object({
    related_ids: z
      .object({ order_id: id.optional(), authorization_id: id.optional(), capture_id: id.optional() })
      .optional(),
  })
  .optional();
const references = { custom_id: text.optional(), invoice_id: text.optional() };
const times = { create_time: text.optional(), update_time: text.optional() };

export const captureSchema = z.object({
  id,
  status: z.enum(CAPTURE_STATUSES),
  status_details: statusDetails,
  amount: money,
  final_capture: z.boolean().optional(),
  ...references,
  supplementary_data: relatedIds,
  links,
  ...times,
});

export const authorizationSchema = z.object({
  id,
  status: z.enum(AUTHORIZATION_STATUSES),
  status_details: statusDetails,
  amount: money,
  expiration_time: text.optional(),
  ...references,
  supplementary_data: relatedIds,
  links,
  ...times,
});

export const refundSchema = z.object({
  id,
  status: z.enum(REFUND_STATUSES),
  status_details: statusDetails,
  amount: money,
  ...references,
  links,
  ...times,
});

/** An order; `Prefer: return=minimal` answers carry only id, status and links, so the rest is optional. */
export const orderSchema = z.object({
  id,
  intent: z.enum(["CAPTURE", "AUTHORIZE"]).optional(),
  status: z.enum(ORDER_STATUSES),
  purchase_units: z
    .array(
      z.object({
        reference_id: text.optional(),
        ...references,
        amount: money.optional(),
        payments: z
          .object({
            captures: z.array(captureSchema).optional(),
            authorizations: z.array(authorizationSchema).optional(),
            refunds: z.array(refundSchema).optional(),
          })
          .optional(),
      }),
    )
    .optional(),
  payer: z.object({ payer_id: text.optional(), email_address: text.optional() }).optional(),
  links,
  ...times,
});

export type WalletOrder = z.output<typeof orderSchema>;
export type WalletCapture = z.output<typeof captureSchema>;
export type WalletAuthorization = z.output<typeof authorizationSchema>;
export type WalletRefund = z.output<typeof refundSchema>;
export type WalletMoney = z.output<typeof money>;

/** PayPal's error shape (developer.paypal.com/api/rest/responses): the `issue` of the first detail says what. */
export const errorSchema = z.object({
  name: z.string().min(1).max(100),
  debug_id: text.optional(),
  details: z.array(z.object({ issue: z.string().min(1).max(100), description: text.optional() })).optional(),
});

/** OAuth 2.0's error shape (RFC 6749 §5.2), which PayPal's token endpoint answers in. */
export const oauthErrorSchema = z.object({ error: z.string().min(1).max(100) });

/** RFC 6749 §5.1, as PayPal answers `POST /v1/oauth2/token`. */
export const tokenSchema = z.object({
  access_token: z.string().min(1).max(4_000),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().int().positive(),
});

/** A webhook's envelope (developer.paypal.com/api/rest/webhooks/rest); its resource is read by its type. */
export const webhookEventSchema = z.object({
  id: z.string().min(1).max(100),
  event_type: z.string().min(1).max(100),
  resource_type: z.string().max(100).optional(),
  create_time: text.optional(),
  resource: z.record(z.string(), z.unknown()),
});

/** Where the payer approves: `payer-action` for orders made with a payment_source, `approve` otherwise. */
export function approvalUrl(order: WalletOrder): string | null {
  return order.links?.find((link) => link.rel === "payer-action" || link.rel === "approve")?.href ?? null;
}
