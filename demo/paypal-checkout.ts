import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { html } from "hono/html";

export interface PaypalCheckoutOptions {
  apiUrl: string;
  /** The demo merchant's secret key: used by this server only, never sent to the browser. */
  secretKey: string;
  /** This site's origin, where the payer comes back (`{siteUrl}/return`). */
  siteUrl: string;
}

const PAYMENT_ID = /^pay_[0-9a-f]{64}$/;
const REDIRECT_STATUSES = new Set(["succeeded", "processing", "failed", "canceled"]);

/**
 * "Pay with PayPal" as a merchant's server does it: it creates the payment with its secret key
 * and hands the browser only the wallet's approval URL; the payer comes back to `/return`, where
 * the server reads the payment (with its key again) rather than trusting the query string.
 */
export function paypalCheckout(options: PaypalCheckoutOptions) {
  const api = (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    fetch(`${options.apiUrl}${path}`, {
      ...init,
      headers: { ...init.headers, Authorization: `Bearer ${options.secretKey}` },
      signal: AbortSignal.timeout(15_000),
    });
  const back = `${options.siteUrl}/return`;

  return new Hono()
    .post("/checkout/paypal", async (c) => {
      const response = await api("/v1/payments", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
        body: JSON.stringify({
          amount: 1999,
          currency: "usd",
          payment_method: { type: "paypal" },
          return_url: back,
          cancel_url: back,
        }),
      }).catch(() => null);
      if (!response) return c.json({ error: "the gateway did not answer" }, 502);
      const payment = (await response.json().catch(() => ({}))) as {
        id?: string;
        status?: string;
        next_action?: { redirect_to_url?: { url?: string } } | null;
        error?: { message?: string };
      };
      const url = payment.next_action?.redirect_to_url?.url;
      if (!response.ok || !url || !/^https?:\/\//.test(url)) {
        const why = payment.error?.message ?? `payment ${payment.status ?? "not created"}, no approval page yet`;
        return c.json({ error: why }, 502);
      }
      return c.json({ payment_id: payment.id, url });
    })
    .get("/return", async (c) => {
      const id = c.req.query("payment_id") ?? "";
      if (!PAYMENT_ID.test(id)) return c.html(resultPage("Unknown payment", "", "", ""), 400);
      const redirectStatus = c.req.query("redirect_status") ?? "";
      const shown = REDIRECT_STATUSES.has(redirectStatus) ? redirectStatus : "unknown";
      const response = await api(`/v1/payments/${id}`).catch(() => null);
      const payment = response?.ok ? ((await response.json()) as { status?: string }) : null;
      const status = payment?.status ?? "unknown";
      const title = status === "captured" ? "Thank you: paid" : `Payment ${status}`;
      return c.html(resultPage(title, id, status, shown), payment ? 200 : 502);
    });
}

function resultPage(title: string, id: string, status: string, redirectStatus: string) {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Demo shop: ${title}</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:420px;margin:40px auto;color:#1a1f36">
<h1>${title}</h1>
<dl>
  <dt>Payment</dt><dd id="payment-id">${id}</dd>
  <dt>Status</dt><dd id="payment-status">${status}</dd>
  <dt>Returned as</dt><dd id="redirect-status">${redirectStatus}</dd>
</dl>
<p><a href="/">Back to the shop</a></p>
</body>
</html>`;
}
