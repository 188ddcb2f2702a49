import { z } from "zod";
import { currencyCode, livemode, metadata, minorUnits, prefixedId, resource, unixSeconds } from "../openapi/fields.js";
import type { Operation } from "../openapi/operation.js";
import {
  createCheckoutSessionSchema,
  expireCheckoutSessionSchema,
  HOSTED_METHODS,
  payCheckoutSessionSchema,
} from "./checkout-sessions.schemas.js";

export const CheckoutSession = resource(
  "CheckoutSession",
  z.strictObject({
    id: prefixedId("cs"),
    object: z.literal("checkout.session"),
    url: z.string().nullable().describe("The hosted page to send the customer to; null once the session is not open."),
    status: z.enum(["open", "complete", "expired"]),
    payment_status: z
      .enum(["unpaid", "processing", "paid"])
      .describe("`processing` while a payment's outcome is being resolved with its processor."),
    payment: prefixedId("pay").nullable().describe("The latest payment tried (the paid one once `complete`)."),
    amount: minorUnits,
    currency: currencyCode,
    payment_method_types: z.array(z.enum(HOSTED_METHODS)),
    success_url: z.string(),
    cancel_url: z.string(),
    description: z.string().nullable(),
    metadata,
    expires_at: unixSeconds,
    livemode,
    created: unixSeconds,
  }),
  "A hosted checkout: a page the gateway serves where the customer pays by card, PayPal or UPI, `open` until paid (`complete`) or until it expires (`expired`), each exactly once.",
);

const secretKey = { kind: "secret_key" } as const;
const html = (description: string) => ({ description, body: { schema: z.string(), contentType: "text/html" } });

export const checkoutSessionOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/checkout_sessions",
    operationId: "createCheckoutSession",
    tag: "Checkout",
    summary: "Create a checkout session",
    description: [
      "Send the customer to the answer's `url`: the gateway's page shows your name and the amount, takes the card in the vault's frame and pays, sends the customer to approve at PayPal and back, or sends a UPI collect request to the customer's UPI ID and waits for its approval.",
      "On success the customer goes to `success_url` (`{CHECKOUT_SESSION_ID}` in it becomes the session id; without it, `session_id` is added to the query) and `checkout.session.completed` is sent; a declined card can be retried on the page.",
      "The session expires unpaid after `expires_in` seconds (`checkout.session.expired`). URLs must be absolute https URLs (http too in local development).",
      "`payment_method_types` takes `card`, `paypal` (in a currency PayPal takes) and `upi` (inr only).",
    ].join(" "),
    auth: secretKey,
    body: createCheckoutSessionSchema,
    idempotent: true,
    success: { status: 200, description: "The session, `open`.", body: { resource: "CheckoutSession" } },
    errors: ["idempotency_key_reused"],
  },
  {
    method: "get",
    path: "/v1/checkout_sessions/{id}",
    operationId: "retrieveCheckoutSession",
    tag: "Checkout",
    summary: "Retrieve a checkout session",
    description: "A session of another mode than the key's answers 404, as one that does not exist.",
    auth: secretKey,
    success: { status: 200, description: "The session.", body: { resource: "CheckoutSession" } },
    errors: ["resource_missing"],
  },
  {
    method: "post",
    path: "/v1/checkout_sessions/{id}/expire",
    operationId: "expireCheckoutSession",
    tag: "Checkout",
    summary: "Expire a checkout session",
    description: "Ends an open session now; its page then refuses to pay. Not while a payment of it is being resolved.",
    auth: secretKey,
    body: expireCheckoutSessionSchema,
    success: { status: 200, description: "The session, `expired`.", body: { resource: "CheckoutSession" } },
    errors: ["resource_missing", "checkout_session_unexpected_state"],
  },
  {
    method: "get",
    path: "/checkout/{id}",
    operationId: "checkoutPage",
    tag: "Checkout",
    summary: "The hosted checkout page (the customer's browser only)",
    description:
      "Public: the session id is the customer's capability. 404 for a link naming no session, 410 for an expired one.",
    auth: { kind: "none" },
    success: { status: 200, ...html("The page.") },
  },
  {
    method: "post",
    path: "/checkout/{id}/pay",
    operationId: "payCheckoutSession",
    tag: "Checkout",
    summary: "Pay a session with a card token, PayPal or a UPI ID (the hosted page only)",
    description:
      "Same origin only (`Origin` must be the gateway's) with the secret the page was served with. A declined card answers 200 with `status: open` and the decline in `error` (the session stays open for another card); PayPal answers `requires_action` with the wallet's approval page to send the customer to, UPI `requires_action` alone (the page then asks `status`); 410 for an expired session.",
    auth: { kind: "none" },
    body: payCheckoutSessionSchema,
    success: {
      status: 200,
      description: "Paid (`complete`, and where the customer goes next), or declined (`open`, with why).",
      body: {
        schema: z.union([
          z.strictObject({ status: z.literal("complete"), redirect_url: z.string() }),
          z.strictObject({ status: z.literal("requires_action"), redirect_url: z.string().optional() }),
          z.strictObject({
            status: z.literal("open"),
            error: z.strictObject({ type: z.literal("card_error"), code: z.string(), message: z.string() }),
          }),
        ]),
      },
    },
    pending: "The payment's outcome is being resolved with its processor; the page refreshes.",
    errors: ["resource_missing", "checkout_session_expired", "origin_not_allowed"],
  },
  {
    method: "get",
    path: "/checkout/{id}/status",
    operationId: "checkoutSessionStatus",
    tag: "Checkout",
    summary: "Where a session stands, for its page while a payment waits (the hosted page only)",
    description:
      "The session asks its waiting payment (a UPI request in the payer's app, a PayPal approval) how it stands first. `complete` carries where the customer goes next.",
    auth: { kind: "none" },
    success: {
      status: 200,
      description: "The session's state.",
      body: {
        schema: z.union([
          z.strictObject({ status: z.literal("complete"), redirect_url: z.string() }),
          z.strictObject({ status: z.literal("expired") }),
          z.strictObject({
            status: z.literal("open"),
            waiting: z.boolean(),
            error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
          }),
        ]),
      },
    },
    errors: ["resource_missing"],
  },
  {
    method: "get",
    path: "/checkout/{id}/return",
    operationId: "checkoutWalletReturn",
    tag: "Checkout",
    summary: "The customer back from PayPal (the wallet's redirect only)",
    description:
      "The session asks its PayPal payment how it stands (nothing in the request is trusted): 303 to `success_url` once paid, else back to the checkout page.",
    auth: { kind: "none" },
    success: { status: 303, description: "To `success_url`, or back to the page." },
  },
];
