import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { paypalCheckout } from "./paypal-checkout.js";

/**
 * A demo merchant's checkout page on its own origin, as a merchant would build it with
 * `pay.js`: the card fields live in the vault's iframe, and this site's server only ever
 * receives the token id. Beside it, "Pay with PayPal" (demo/paypal-checkout.ts): this site's
 * server creates the payment with the secret key and the payer is redirected to the wallet; without
 * a secret key that button is disabled. `npm start` runs it; the browser tests drive it.
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
  const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Demo shop: checkout</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:420px;margin:40px auto;color:#1a1f36}button{padding:10px 18px;border:0;border-radius:6px;background:#635bff;color:#fff;font:inherit}#pay-paypal{background:#ffc439;color:#003087}button:disabled{opacity:.5}pre{background:#f6f9fc;padding:12px;border-radius:6px;white-space:pre-wrap}</style>
<script src="${options.vaultUrl}/pay.js"></script>
</head>
<body>
<h1>Demo shop</h1>
<p>Order total: <strong>$19.99</strong></p>
<div id="card"></div>
<button id="pay" type="button">Pay</button>
${paypal}
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
        body: JSON.stringify({ token: token.id }) }).then(function () {
        document.getElementById("result").textContent = JSON.stringify(token, null, 2);
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
    .post("/checkout", async (c) => {
      const body = (await c.req.json()) as { token?: string };
      if (!body.token?.startsWith("tok_")) return c.json({ error: "token required" }, 400);
      received.push({ token: body.token, at: new Date().toISOString() });
      return c.json({ received: body.token, next: `POST ${options.apiUrl}/v1/payments with your secret key` });
    })
    .get("/received", (c) => c.json(received))
    .get("/health", (c) => c.json({ status: "ok", service: "demo-merchant" }));
  return app;
}

export function startMerchantSite(port: number, options: Parameters<typeof merchantSite>[0]) {
  const site = merchantSite({ ...options, siteUrl: options.siteUrl ?? `http://127.0.0.1:${port}` });
  return serve({ fetch: site.fetch, hostname: "127.0.0.1", port });
}
