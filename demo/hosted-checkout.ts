import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { html } from "hono/html";

export interface HostedCheckoutOptions {
  apiUrl: string;
  /** The demo merchant's secret key: used by this server only, never sent to the browser. */
  secretKey: string;
  /** This site's origin, where the customer comes back (`{siteUrl}/success`). */
  siteUrl: string;
}

const SESSION_ID = /^cs_[0-9a-f]{64}$/;

/**
 * "Pay with hosted checkout" as a merchant's server does it (issue 18): it creates a checkout
 * session with its secret key and sends the browser to the gateway's page; the customer comes
 * back to `/success?session_id=...`, where the server reads the session (with its key again)
 * rather than trusting the link, and shows the payment.
 */
export function hostedCheckout(options: HostedCheckoutOptions) {
  const api = (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    fetch(`${options.apiUrl}${path}`, {
      ...init,
      headers: { ...init.headers, Authorization: `Bearer ${options.secretKey}` },
      signal: AbortSignal.timeout(15_000),
    });

  return new Hono()
    .post("/checkout/hosted", async (c) => {
      const response = await api("/v1/checkout_sessions", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
        body: JSON.stringify({
          amount: 1999,
          currency: "usd",
          description: "Demo shop order",
          success_url: `${options.siteUrl}/success?session_id={CHECKOUT_SESSION_ID}`,
          cancel_url: `${options.siteUrl}/`,
        }),
      }).catch(() => null);
      const session = response
        ? ((await response.json().catch(() => ({}))) as { url?: string; error?: { message?: string } })
        : null;
      if (!response?.ok || !session?.url || !/^https?:\/\//.test(session.url)) {
        const why = session?.error?.message ?? "the gateway did not answer";
        return c.html(resultPage("Checkout unavailable", why), 502);
      }
      return c.redirect(session.url, 303);
    })
    .get("/success", async (c) => {
      const id = c.req.query("session_id") ?? "";
      if (!SESSION_ID.test(id)) return c.html(resultPage("Unknown checkout", "This link names no checkout."), 400);
      const response = await api(`/v1/checkout_sessions/${id}`).catch(() => null);
      const session = response?.ok
        ? ((await response.json()) as { status?: string; payment_status?: string; payment?: string | null })
        : null;
      if (session?.payment_status !== "paid" || !session.payment) {
        return c.html(resultPage("Not paid", `The checkout is ${session?.status ?? "unknown"}.`), session ? 200 : 502);
      }
      return c.html(paidPage(session.payment, `${options.apiUrl}/dashboard/payments/${session.payment}`));
    });
}

/** The shop's thank-you page: "Paid", the payment, and where to see it in the gateway's dashboard. */
export function paidPage(paymentId: string, dashboardUrl: string) {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Demo shop: paid</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:420px;margin:40px auto;padding:0 16px;color:#1a1f36">
<h1 id="paid">Paid</h1>
<p>Thank you for your order.</p>
<dl><dt>Payment</dt><dd id="payment-id">${paymentId}</dd></dl>
<p><a id="dashboard-link" href="${dashboardUrl}">See the payment in the dashboard</a></p>
<p><a href="/">Back to the shop</a></p>
</body>
</html>`;
}

function resultPage(title: string, message: string) {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Demo shop: ${title}</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:420px;margin:40px auto;padding:0 16px;color:#1a1f36">
<h1>${title}</h1>
<p id="message">${message}</p>
<p><a href="/">Back to the shop</a></p>
</body>
</html>`;
}
