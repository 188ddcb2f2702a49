import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { ApiError } from "../../errors/api-error.js";
import { log } from "../../logging/logger.js";
import { asStranger } from "../../rate-limits/strangers.js";
import { walletLink } from "./wallet-link.js";
import { verifyWalletWebhook, type WalletWebhookResource } from "./wallet-webhook-verifier.js";

const PAYMENT_ID = /^pay_([0-9a-f]{64})$/;
/** The gateway's operation ids (`op_<payment hex>_<n>`), which it sends as `invoice_id`. */
const OPERATION_ID = /^op_([0-9a-f]{64})_[0-9]+$/;

/**
 * The payment a verified event is about, from what the gateway itself put on the resource: an
 * order's and its captures' and authorizations' `custom_id` is the payment's id; a refund's
 * `invoice_id` is its operation's id, which names the payment. Hex only, the object id.
 */
export function paymentHexOf(resource: WalletWebhookResource): string | null {
  const references = (() => {
    switch (resource.type) {
      case "order":
        return [resource.order.purchase_units?.[0]?.custom_id, resource.order.purchase_units?.[0]?.invoice_id];
      case "capture":
        return [resource.capture.custom_id, resource.capture.invoice_id];
      case "authorization":
        return [resource.authorization.custom_id, resource.authorization.invoice_id];
      case "refund":
        return [resource.refund.invoice_id];
      case "other":
        return [];
      default: {
        const unreachable: never = resource;
        throw new Error(`unknown webhook resource ${JSON.stringify(unreachable)}`);
      }
    }
  })();
  for (const reference of references) {
    const hex = PAYMENT_ID.exec(reference ?? "")?.[1] ?? OPERATION_ID.exec(reference ?? "")?.[1];
    if (hex) return hex;
  }
  return null;
}

/**
 * The wallet's webhooks (issue 15): `POST /network/wallet/{test|live}/webhooks`, one URL per mode
 * as subscribed with each mode's wallet app. Nothing is believed before the signature verifies
 * (wallet-webhook-verifier.ts): a forgery is 401 and changes nothing, and counts as a failed
 * authentication against its sender's address. A verified event only wakes its payment, which
 * asks the wallet how things stand and moves on from that (PaymentObject.walletNotified): what the
 * event says is never applied as such, so a stale, reordered or replayed event changes nothing.
 * 200 for every verified event, even one about nothing of ours, so the wallet stops retrying.
 */
export const walletWebhookRoutes = new Hono<AppEnv>().post("/:mode/webhooks", async (c) => {
  const mode = c.req.param("mode");
  const livemode = mode === "live";
  const link = mode === "test" || mode === "live" ? walletLink(c.env, livemode) : null;
  if (!link) {
    throw new ApiError("resource_missing", { message: `No wallet webhooks are taken in '${mode}' mode here.` });
  }
  const body = await c.req.text();
  const event = await asStranger(c, async (stranger) => {
    stranger.reserve();
    const verified = await verifyWalletWebhook(link, c.req.raw.headers, body);
    if (!verified) throw new ApiError("signature_invalid");
    return verified;
  });
  const hex = paymentHexOf(event.resource);
  if (!hex) return c.json({ received: true, event: event.id, payment: null });
  let id: DurableObjectId | null = null;
  try {
    id = c.env.PAYMENTS.idFromString(hex);
  } catch {
    // 64 hex digits, but not an id this namespace issued: no payment of ours.
  }
  // The object failing throws: a 5xx, and the wallet delivers the event again later.
  const known = id ? await c.env.PAYMENTS.get(id).walletNotified(livemode) : false;
  if (!known) log("warn", "wallet webhook about no wallet payment here", { event: event.id, type: event.eventType });
  return c.json({ received: true, event: event.id, payment: known ? `pay_${hex}` : null });
});
