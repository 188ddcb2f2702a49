import { z } from "zod";
import type { Operation } from "../../openapi/operation.js";

const returnQuery = z.strictObject({
  token: z.string().describe("The wallet's order id, as the wallet appends it."),
  PayerID: z.string().optional().describe("The payer's wallet account, as the wallet appends it after approval."),
});

const bounce = (canceled: boolean): Operation => ({
  method: "get",
  path: canceled ? "/wallet/cancel/{id}" : "/wallet/return/{id}",
  operationId: canceled ? "walletCancelPage" : "walletReturnPage",
  tag: "Internal",
  summary: canceled
    ? "The payer back from the wallet after cancelling (the payer's browser only)"
    : "The payer back from the wallet after approving (the payer's browser only)",
  description: [
    "The wallet sends the payer here, and the gateway sends them on, 303, to the payment's",
    canceled ? "`cancel_url` (its `return_url` without one)" : "`return_url`",
    "with `payment_id` and `redirect_status` added (`succeeded`, `processing`, `failed`, or `canceled`).",
    canceled
      ? "The payment keeps waiting for its payer (who may go back and approve) until its order expires."
      : "On the way, the gateway captures (or authorizes) the approved order, unless the wallet's webhook already led to it.",
    "A link naming no wallet payment of this gateway, or another order than the payment's, gets a 404 page (and counts as a failed authentication: a flood is answered 429).",
  ].join(" "),
  auth: { kind: "none" },
  query: returnQuery,
  success: { status: 303, description: "To the merchant's page (`Location`)." },
});

/** The wallet's webhook intake and the payer's way back (issue 15). */
export const walletOperations: Operation[] = [
  {
    method: "post",
    path: "/network/wallet/{mode}/webhooks",
    operationId: "walletWebhook",
    tag: "Internal",
    summary: "Take the wallet's webhooks (the wallet only)",
    description: [
      "`mode` is `test` or `live` (each mode's wallet app subscribes its own URL). The body is PayPal's webhook event, signed as PayPal signs:",
      "`PAYPAL-TRANSMISSION-SIG` is RSA-SHA256 over `transmission_id|transmission_time|webhook_id|crc32(body)`, with the certificate at `PAYPAL-CERT-URL` (PayPal's hosts only) and `PAYPAL-AUTH-ALGO: SHA256withRSA`; the transmission time must be within 5 minutes.",
      "A forgery is 401 and changes nothing. A verified event wakes its payment, which asks the wallet how the order stands: the event's own content is never applied, so a replay changes nothing.",
      "200 for every verified event, also one about no payment of this gateway.",
    ].join(" "),
    auth: { kind: "wallet" },
    body: z
      .object({})
      .passthrough()
      .describe("PayPal's webhook event (`id`, `event_type`, `resource_type`, `resource`)."),
    success: {
      status: 200,
      description: "The event was taken.",
      body: {
        schema: z.strictObject({
          received: z.literal(true),
          event: z.string(),
          payment: z.string().nullable().describe("The payment it was about, or null for none of ours."),
        }),
      },
    },
    errors: ["resource_missing"],
  },
  bounce(false),
  bounce(true),
];
