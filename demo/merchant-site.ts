import { serve } from "@hono/node-server";
import { Hono } from "hono";

/**
 * A demo merchant's checkout page on its own origin, as a merchant would build it with
 * `pay.js`: the card fields live in the vault's iframe, and this site's server only ever
 * receives the token id. `npm start` runs it; the browser test drives it.
 */
export function merchantSite(options: { vaultUrl: string; publishableKey: string; apiUrl: string }) {
  const received: { token: string; at: string }[] = [];
  const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Demo shop: checkout</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:420px;margin:40px auto;color:#1a1f36}button{padding:10px 18px;border:0;border-radius:6px;background:#635bff;color:#fff;font:inherit}pre{background:#f6f9fc;padding:12px;border-radius:6px;white-space:pre-wrap}</style>
<script src="${options.vaultUrl}/pay.js"></script>
</head>
<body>
<h1>Demo shop</h1>
<p>Order total: <strong>$19.99</strong></p>
<div id="card"></div>
<button id="pay" type="button">Pay</button>
<pre id="result">Test card: 4242 4242 4242 4242, any future date, any CVC.</pre>
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
  return serve({ fetch: merchantSite(options).fetch, hostname: "127.0.0.1", port });
}
