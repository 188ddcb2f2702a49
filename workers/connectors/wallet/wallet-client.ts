import { log } from "../../logging/logger.js";
import { callWallet, type WalletReply } from "./wallet-call.js";
import type { WalletLink } from "./wallet-link.js";
import { paypalMoney, type WalletAmount } from "./wallet-money.js";
import {
  authorizationSchema,
  captureSchema,
  orderSchema,
  refundSchema,
  type WalletAuthorization,
  type WalletCapture,
  type WalletOrder,
  type WalletRefund,
} from "./wallet-wire.js";

/**
 * PayPal Orders v2 and Payments v2 (developer.paypal.com/api/orders/v2, /api/payments/v2) over
 * `fetch`, which workerd and Node both have. Not PayPal's official `@paypal/paypal-server-sdk`:
 * its client takes no base URL (`getBaseUri` in its src/client.ts knows only
 * `Environment.Production`, api-m.paypal.com, and `Environment.Sandbox`, api-m.sandbox.paypal.com,
 * and throws for anything else), so it cannot reach the simulator; and it sends through axios.
 * Every POST carries the caller's operation id as `PayPal-Request-Id`, so repeating it after no
 * answer is the same request: PayPal runs it once and answers the repeat with what it did.
 */

/**
 * Each call's budget, token included. PayPal publishes no response time for these APIs. A read is
 * a lookup. A capture or authorize reaches the payer's funding source (a card issuer behind
 * PayPal), so it gets the ISO 8583 response timers' order (10-12 s, common/timeout-budgets.ts) and
 * PayPal's own hop on top. Past them the call is lost, not failed: the caller asks by GET, or
 * repeats under the same request id; whatever calls these must itself wait longer than they do.
 */
export const WALLET_READ_MS = 10_000;
export const WALLET_WRITE_MS = 20_000;

export interface WalletCallOptions {
  /** Instead of WALLET_READ_MS / WALLET_WRITE_MS (tests shorten it). */
  timeoutMs?: number;
  /** Test mode only (never sent in live mode): a sandbox negative test, the issue to be answered with. */
  mock?: string;
}

export interface NewWalletOrder {
  intent: "CAPTURE" | "AUTHORIZE";
  amountMinor: number;
  currency: string;
  /** The gateway's payment id: the order's `custom_id`, carried back in its captures and webhooks. */
  paymentId: string;
  /** The operation's id: the `PayPal-Request-Id`, and the order's `invoice_id`. */
  operationId: string;
  returnUrl: string;
  cancelUrl: string;
  /** The merchant's name on the approval page (PayPal: at most 127 characters). */
  brandName?: string;
  description?: string;
}

const segment = (id: string) => encodeURIComponent(id);
const options = (given: WalletCallOptions | undefined, timeoutMs: number) => ({
  timeoutMs: given?.timeoutMs ?? timeoutMs,
  ...(given?.mock === undefined ? {} : { mock: given.mock }),
});

/** An answer about another resource than the one asked about is no answer about it. */
function about<T>(reply: WalletReply<T>, matches: (resource: T) => boolean, what: string): WalletReply<T> {
  if (reply?.kind !== "ok" || matches(reply.resource)) return reply;
  log("error", "wallet answered about another resource", { what, debug_id: reply.debugId });
  return null;
}

/**
 * A new order, to be approved by the payer at its `payer-action` link (wallet-wire.ts
 * approvalUrl): with a `payment_source.paypal.experience_context`, as PayPal now asks, rather than
 * the older `application_context`. PAY_NOW: the approval page says "Pay Now", as the gateway
 * captures on the payer's return without a review step of its own.
 */
export async function createOrder(
  link: WalletLink,
  order: NewWalletOrder,
  given?: WalletCallOptions,
): Promise<WalletReply<WalletOrder>> {
  const amount = paypalMoney({ minor: order.amountMinor, currency: order.currency });
  if ("kind" in amount) return amount;
  const experience = {
    return_url: order.returnUrl,
    cancel_url: order.cancelUrl,
    ...(order.brandName ? { brand_name: order.brandName.slice(0, 127) } : {}),
    user_action: "PAY_NOW",
  };
  const body = {
    intent: order.intent,
    purchase_units: [
      {
        custom_id: order.paymentId,
        invoice_id: order.operationId,
        amount,
        ...(order.description ? { description: order.description.slice(0, 127) } : {}),
      },
    ],
    payment_source: { paypal: { experience_context: experience } },
  };
  const reply = await callWallet(link, {
    method: "POST",
    path: "/v2/checkout/orders",
    body,
    requestId: order.operationId,
    schema: orderSchema,
    ...options(given, WALLET_WRITE_MS),
  });
  // A minimal answer has no purchase units; a replay for another payment has another custom_id.
  const ours = (found: WalletOrder) => (found.purchase_units?.[0]?.custom_id ?? order.paymentId) === order.paymentId;
  return about(reply, ours, "order");
}

export async function getOrder(
  link: WalletLink,
  orderId: string,
  given?: WalletCallOptions,
): Promise<WalletReply<WalletOrder>> {
  const path = `/v2/checkout/orders/${segment(orderId)}`;
  const reply = await callWallet(link, { method: "GET", path, schema: orderSchema, ...options(given, WALLET_READ_MS) });
  return about(reply, (order) => order.id === orderId, "order");
}

/** Captures an approved order (intent CAPTURE); the capture is in `purchase_units[0].payments.captures`. */
export function captureOrder(
  link: WalletLink,
  orderId: string,
  requestId: string,
  given?: WalletCallOptions,
): Promise<WalletReply<WalletOrder>> {
  return orderAction(link, orderId, "capture", requestId, given);
}

/** Authorizes an approved order (intent AUTHORIZE); the authorization is in `purchase_units[0].payments.authorizations`. */
export function authorizeOrder(
  link: WalletLink,
  orderId: string,
  requestId: string,
  given?: WalletCallOptions,
): Promise<WalletReply<WalletOrder>> {
  return orderAction(link, orderId, "authorize", requestId, given);
}

async function orderAction(
  link: WalletLink,
  orderId: string,
  action: "capture" | "authorize",
  requestId: string,
  given: WalletCallOptions | undefined,
): Promise<WalletReply<WalletOrder>> {
  const path = `/v2/checkout/orders/${segment(orderId)}/${action}`;
  const call = { method: "POST", path, body: {}, requestId, schema: orderSchema } as const;
  const reply = await callWallet(link, { ...call, ...options(given, WALLET_WRITE_MS) });
  return about(reply, (order) => order.id === orderId, "order");
}

export async function getAuthorization(
  link: WalletLink,
  authorizationId: string,
  given?: WalletCallOptions,
): Promise<WalletReply<WalletAuthorization>> {
  const path = `/v2/payments/authorizations/${segment(authorizationId)}`;
  const call = { method: "GET", path, schema: authorizationSchema } as const;
  const reply = await callWallet(link, { ...call, ...options(given, WALLET_READ_MS) });
  return about(reply, (authorization) => authorization.id === authorizationId, "authorization");
}

/**
 * Captures an authorization: all of what is left of it without `amount`. `final` (default true:
 * the gateway captures once) has PayPal release what is not captured; PayPal's own default is false.
 */
export async function captureAuthorization(
  link: WalletLink,
  authorizationId: string,
  capture: { requestId: string; amount?: WalletAmount; final?: boolean },
  given?: WalletCallOptions,
): Promise<WalletReply<WalletCapture>> {
  const amount = capture.amount && paypalMoney(capture.amount);
  if (amount && "kind" in amount) return amount;
  const reply = await callWallet(link, {
    method: "POST",
    path: `/v2/payments/authorizations/${segment(authorizationId)}/capture`,
    body: { ...(amount ? { amount } : {}), final_capture: capture.final ?? true },
    requestId: capture.requestId,
    schema: captureSchema,
    ...options(given, WALLET_WRITE_MS),
  });
  const from = (found: WalletCapture) =>
    (found.supplementary_data?.related_ids?.authorization_id ?? authorizationId) === authorizationId;
  return about(reply, from, "capture");
}

/** Voids what is left of an authorization: the authorization as it now stands (PayPal may answer 204: then null). */
export async function voidAuthorization(
  link: WalletLink,
  authorizationId: string,
  requestId: string,
  given?: WalletCallOptions,
): Promise<WalletReply<WalletAuthorization | null>> {
  const path = `/v2/payments/authorizations/${segment(authorizationId)}/void`;
  const call = { method: "POST", path, requestId, schema: authorizationSchema.nullable() } as const;
  const reply = await callWallet(link, { ...call, ...options(given, WALLET_WRITE_MS) });
  return about(reply, (found) => found === null || found.id === authorizationId, "authorization");
}

export async function getCapture(
  link: WalletLink,
  captureId: string,
  given?: WalletCallOptions,
): Promise<WalletReply<WalletCapture>> {
  const path = `/v2/payments/captures/${segment(captureId)}`;
  const reply = await callWallet(link, {
    method: "GET",
    path,
    schema: captureSchema,
    ...options(given, WALLET_READ_MS),
  });
  return about(reply, (capture) => capture.id === captureId, "capture");
}

/**
 * Refunds a capture: all of what is left of it without `amount`; several partial refunds may
 * follow each other. `refundId` (the gateway's) is the refund's `custom_id`, `requestId` its
 * `invoice_id` as well as its PayPal-Request-Id.
 */
export async function refundCapture(
  link: WalletLink,
  captureId: string,
  refund: { requestId: string; refundId?: string; amount?: WalletAmount; noteToPayer?: string },
  given?: WalletCallOptions,
): Promise<WalletReply<WalletRefund>> {
  const amount = refund.amount && paypalMoney(refund.amount);
  if (amount && "kind" in amount) return amount;
  const body = {
    ...(amount ? { amount } : {}),
    invoice_id: refund.requestId,
    ...(refund.refundId ? { custom_id: refund.refundId } : {}),
    ...(refund.noteToPayer ? { note_to_payer: refund.noteToPayer.slice(0, 255) } : {}),
  };
  return callWallet(link, {
    method: "POST",
    path: `/v2/payments/captures/${segment(captureId)}/refund`,
    body,
    requestId: refund.requestId,
    schema: refundSchema,
    ...options(given, WALLET_WRITE_MS),
  });
}

export async function getRefund(
  link: WalletLink,
  refundId: string,
  given?: WalletCallOptions,
): Promise<WalletReply<WalletRefund>> {
  const path = `/v2/payments/refunds/${segment(refundId)}`;
  const reply = await callWallet(link, {
    method: "GET",
    path,
    schema: refundSchema,
    ...options(given, WALLET_READ_MS),
  });
  return about(reply, (refund) => refund.id === refundId, "refund");
}
