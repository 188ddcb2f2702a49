import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { hostedCheckout } from "./hosted-checkout.js";
import { paypalCheckout } from "./paypal-checkout.js";

/**
 * A demo merchant's checkout page on its own origin, as a merchant would build it with
 * `pay.js`: the card fields live in the vault's iframe, and this site's server only ever
 * receives the token id. Beside it, "Pay with PayPal" (demo/paypal-checkout.ts): this site's
 * server creates the payment with the secret key and the payer is redirected to the wallet, and
 * "Pay with hosted checkout" (demo/hosted-checkout.ts): the server creates a checkout session and the
 * browser goes to the gateway's own payment page. With a secret key the card form's token is paid
 * by this site's server too; without one the token is only shown, and the other two buttons are
 * disabled. `npm start` runs it; the browser tests drive it.
 */
export function merchantSite(options: {
  vaultUrl: string;
  publishableKey: string;
  apiUrl: string;
  /** The merchant's secret key, for PayPal: it stays on this server. */
  secretKey?: string;
  /** This site's origin, for the wallet's return (default `http://127.0.0.1:8790`). */
  siteUrl?: string;
}) {
  const received: { token: string; at: string }[] = [];
  const paypal = options.secretKey
    ? `<button id="pay-paypal" type="button">Pay with PayPal</button>`
    : `<button id="pay-paypal" type="button" disabled>Pay with PayPal</button>
<p id="paypal-unavailable">PayPal is unavailable: this demo site has no secret key (SECRET_KEY).</p>`;
  // A plain form: the hosted checkout works with scripts off (the server answers with a redirect).
  const hosted = options.secretKey
    ? `<form method="post" action="/checkout/hosted"><button id="pay-hosted" type="submit">Pay with hosted checkout</button></form>`
    : `<button id="pay-hosted" type="button" disabled>Pay with hosted checkout</button>`;
  const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Demo shop: checkout</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:420px;margin:40px auto;padding:0 16px;color:#1a1f36}button{padding:10px 18px;margin:4px 0;border:0;border-radius:6px;background:#4b45c6;color:#fff;font:inherit}#pay-hosted{background:#1a1f36}#pay-paypal{background:#ffc439;color:#003087}button:disabled{opacity:.5}pre{background:#f6f9fc;padding:12px;border-radius:6px;white-space:pre-wrap}</style>
<script src="${options.vaultUrl}/pay.js"></script>
</head>
<body>
<h1>Demo shop</h1>
<p>Order total: <strong>$19.99</strong></p>
<div id="card"></div>
<button id="pay" type="button">Pay</button>
${paypal}
${hosted}
<pre id="result">Test card: 4242 4242 4242 4242, any future date, any CVC.</pre>
<script>
  document.getElementById("pay-paypal").addEventListener("click", function () {
    // The server creates the payment; the browser only learns where the payer approves it.
    fetch("/checkout/paypal", { method: "POST" }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok || !answer.url) throw new Error(answer.error || "no approval page");
        window.location.assign(answer.url);
      });
    }).catch(function (error) {
      document.getElementById("result").textContent = "PayPal: " + error.message;
    });
  });
</script>
<script>
  var card = Gateway(${JSON.stringify(options.publishableKey)}).mountCard("#card");
  document.getElementById("pay").addEventListener("click", function () {
    card.createToken().then(function (token) {
      // The merchant's server gets the token id only; it charges it with its secret key.
      return fetch("/checkout", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ token: token.id }) }).then(function (response) {
        return response.json();
      }).then(function (answer) {
        // With a secret key the server paid the token: show the payment; else the token itself.
        document.getElementById("result").textContent = answer.payment
          ? (answer.payment.status === "captured" ? "Paid " : "Payment " + answer.payment.status + " ") + answer.payment.id
          : JSON.stringify(token, null, 2);
      });
    }, function (error) {
      document.getElementById("result").textContent = "Refused: " + (error && error.message);
    });
  });
</script>
</body>
</html>`;
  const app = new Hono()
    .get("/", (c) => c.html(page))
    .route(
      "/",
      options.secretKey
        ? paypalCheckout({
            apiUrl: options.apiUrl,
            secretKey: options.secretKey,
            siteUrl: options.siteUrl ?? "http://127.0.0.1:8790",
          })
        : new Hono().post("/checkout/paypal", (c) => c.json({ error: "PayPal needs SECRET_KEY" }, 503)),
    )
    .route(
      "/",
      options.secretKey
        ? hostedCheckout({
            apiUrl: options.apiUrl,
            secretKey: options.secretKey,
            siteUrl: options.siteUrl ?? "http://127.0.0.1:8790",
          })
        : new Hono().post("/checkout/hosted", (c) => c.text("Hosted checkout needs SECRET_KEY", 503)),
    )
    .post("/checkout", async (c) => {
      const body = (await c.req.json()) as { token?: string };
      if (!body.token?.startsWith("tok_")) return c.json({ error: "token required" }, 400);
      received.push({ token: body.token, at: new Date().toISOString() });
      if (!options.secretKey) {
        return c.json({ received: body.token, next: `POST ${options.apiUrl}/v1/payments with your secret key` });
      }
      // The token becomes a payment here, on the merchant's server, with its secret key.
      const payment = await chargeToken(options.apiUrl, options.secretKey, body.token);
      return c.json({ received: body.token, payment }, payment ? 200 : 502);
    })
    .get("/received", (c) => c.json(received))
    .get("/health", (c) => c.json({ status: "ok", service: "demo-merchant" }));
  return app;
}

/** `POST /v1/payments` for the token (1999 USD), or null when the gateway did not answer with a payment. */
async function chargeToken(apiUrl: string, secretKey: string, token: string) {
  const response = await fetch(`${apiUrl}/v1/payments`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${secretKey}`,
      "Content-Type": "application/json",
      "Idempotency-Key": `demo-${token}`,
    },
    body: JSON.stringify({ amount: 1999, currency: "usd", payment_method: { type: "card", token } }),
    signal: AbortSignal.timeout(15_000),
  }).catch(() => null);
  const answer = (await response?.json().catch(() => null)) as {
    id?: string;
    status?: string;
    error?: { payment?: { id?: string; status?: string } };
  } | null;
  const payment = answer?.error?.payment ?? answer;
  return payment?.id ? { id: payment.id, status: payment.status ?? "unknown" } : null;
}

export function startMerchantSite(port: number, options: Parameters<typeof merchantSite>[0]) {
  const site = merchantSite({ ...options, siteUrl: options.siteUrl ?? `http://127.0.0.1:${port}` });
  return serve({ fetch: site.fetch, hostname: "127.0.0.1", port });
}
