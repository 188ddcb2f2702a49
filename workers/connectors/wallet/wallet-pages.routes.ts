import { type Context, Hono } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../app-env.js";
import { ApiError } from "../../errors/api-error.js";
import { asStranger } from "../../rate-limits/strangers.js";

const PAYMENT_ID = /^pay_([0-9a-f]{64})$/;
/** PayPal's order ids, as the wallet appends them (`token`); wallet-wire.ts bounds ids the same way. */
const ORDER_ID = /^[A-Za-z0-9-]{1,64}$/;

const gone = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Payment link not valid</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>This payment link is not valid</h1>
<p>Go back to the shop and try again.</p></main></body></html>`;

/**
 * The payer back from the wallet (issue 15 item 4). The wallet sends the payer to
 * `/wallet/return/{payment}?token={order}&PayerID={payer}` after approving, or to
 * `/wallet/cancel/{payment}?token={order}` after cancelling. The payment is moved on from the order
 * as the wallet has it (PaymentObject.walletReturn), then the payer is bounced, 303, to the
 * merchant's own page with `payment_id` and `redirect_status`: the merchant needs no server code
 * for the redirect, and reads the payment to know how it went. Public, so a link that names no
 * wallet payment of this gateway, or another order than the payment's, counts as a failed
 * authentication against its sender's address (a flood of guesses is answered 429) and is shown
 * a page saying so, not where any payment stands.
 */
async function bounce(c: Context<AppEnv>, canceled: boolean): Promise<Response> {
  const token = c.req.query("token") ?? "";
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer");
  let target: string;
  try {
    target = await asStranger(c, async () => {
      const hex = PAYMENT_ID.exec(c.req.param("id") ?? "")?.[1];
      if (!hex || !ORDER_ID.test(token)) throw new ApiError("signature_invalid");
      let id: DurableObjectId;
      try {
        id = c.env.PAYMENTS.idFromString(hex);
      } catch {
        throw new ApiError("signature_invalid"); // 64 hex digits, but not an id this namespace issued
      }
      const url = await c.env.PAYMENTS.get(id).walletReturn(token, canceled);
      if (!url) throw new ApiError("signature_invalid");
      return url;
    });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 429) return c.html(gone, 429, error.headers);
    return c.html(gone, 404);
  }
  return c.redirect(target, 303);
}

export const walletPageRoutes = new Hono<AppEnv>()
  .get("/return/:id", (c) => bounce(c, false))
  .get("/cancel/:id", (c) => bounce(c, true));
