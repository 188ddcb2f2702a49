import { html, raw } from "hono/html";
import type { CheckoutSessionRecord } from "../../durable-objects/checkout-session/checkout-session-record.js";
import { CHECKOUT_PAGE_SCRIPT } from "./checkout-page.script.js";
import { formatAmount } from "./format-amount.js";

/**
 * Colours meet WCAG 2.2 AA contrast (4.5:1 for text): #1a1f36 on white 16:1, #4f566b 7:1, the
 * button's white on #4b45c6 6.6:1, PayPal's #1a1f36 on its #ffc439 11:1, the error's #b3093c 6.9:1. The focus ring is visible on every
 * control (WCAG 2.4.7); the layout is one column that fits a 320 px wide phone (WCAG 1.4.10).
 */
const STYLE = `
  *{box-sizing:border-box}
  body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1f36;background:#f6f9fc}
  main{max-width:440px;margin:0 auto;padding:24px 16px}
  .panel{background:#fff;border-radius:8px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
  h1{font-size:1.25rem;margin:0 0 4px}
  .amount{font-size:2rem;font-weight:600;margin:0 0 4px}
  .muted{color:#4f566b;margin:0 0 16px}
  .test{display:inline-block;background:#fff3cd;color:#5c4400;border-radius:4px;padding:2px 8px;font-size:.875rem;margin-bottom:12px}
  button{width:100%;min-height:44px;margin-top:12px;padding:10px 16px;border:0;border-radius:6px;background:#4b45c6;color:#fff;font:inherit;font-weight:600;cursor:pointer}
  button:disabled{opacity:.6;cursor:progress}
  button:focus-visible,a:focus-visible{outline:3px solid #1a1f36;outline-offset:2px}
  a{color:#3b36a8}
  .status{min-height:1.5em;margin:12px 0 0}
  .error{color:#b3093c}
  .cancel{display:block;text-align:center;margin-top:16px}
  .or{text-align:center;color:#4f566b;margin:16px 0 4px}
  button.wallet{background:#ffc439;color:#1a1f36}
  label{display:block;font-weight:600;margin:0 0 4px}
  input{width:100%;min-height:44px;padding:8px 12px;border:1px solid #6b7280;border-radius:6px;font:inherit;color:#1a1f36}
  input:focus-visible{outline:3px solid #1a1f36;outline-offset:2px}
`;

function layout(title: string, nonce: string, body: unknown) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${title}</title>
<style nonce="${nonce}">${raw(STYLE)}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

/** JSON for a `<script type="application/json">` block: no `</script>` break-out. */
function dataBlock(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const UPI_WAITING_TEXT = "Approve the payment request in your UPI app. This page moves on by itself.";

/** What the status line says when the page opens: the last failure, or a payment still being settled. */
function openingStatus(session: CheckoutSessionRecord): string {
  if (session.last_error) return session.last_error.message;
  if (session.payment_status === "processing") return "Your payment is being confirmed. Do not pay again.";
  if (session.awaiting_approval?.method === "upi") return UPI_WAITING_TEXT;
  return "";
}

/**
 * The open session's page: what is paid to whom, each method the session offers (the vault's card
 * frame and its pay button; PayPal's button, which sends the payer to the wallet; a UPI ID field
 * and its button, after which the page waits for the payer to approve in their app), and cancel.
 */
export function openCheckoutPage(session: CheckoutSessionRecord, options: { nonce: string; vaultOrigin: string }) {
  const amount = formatAmount(session.amount, session.currency);
  const card = session.payment_method_types.includes("card");
  const paypal = session.payment_method_types.includes("paypal");
  const upi = session.payment_method_types.includes("upi");
  const config = {
    publishableKey: card ? session.publishable_key : null,
    pageSecret: session.page_secret,
    payUrl: `/checkout/${session.id}/pay`,
    statusUrl: `/checkout/${session.id}/status`,
    upiWaitingText: UPI_WAITING_TEXT,
    // A UPI request sent, or a payment being confirmed, before this page was (re)loaded: it waits on.
    waiting: session.awaiting_approval?.method === "upi" || session.payment_status === "processing",
  };
  const or = (first: boolean) => (first ? "" : html`<p class="or">or</p>`);
  const cardForm = html`<form id="pay-form" novalidate aria-describedby="status">
  <div id="card" role="group" aria-label="Card details"></div>
  <button id="pay" type="submit">Pay ${amount}</button>
</form>`;
  const paypalButton = html`${or(!card)}<button id="pay-paypal" class="wallet" type="button" aria-describedby="status">Pay with PayPal</button>`;
  const upiForm = html`${or(!card && !paypal)}<form id="upi-form" novalidate aria-describedby="status">
  <label for="vpa">UPI ID</label>
  <input id="vpa" name="vpa" type="text" inputmode="email" autocomplete="off" autocapitalize="none" spellcheck="false" placeholder="name@bank" required>
  <button id="pay-upi" type="submit">Pay ${amount} with UPI</button>
</form>`;
  return layout(
    `Pay ${session.merchant_name}`,
    options.nonce,
    html`<div class="panel">
${session.livemode ? "" : html`<p class="test">Test mode: no real money moves</p>`}
<h1>Pay ${session.merchant_name}</h1>
<p class="amount" id="amount">${amount}</p>
${session.description ? html`<p class="muted" id="description">${session.description}</p>` : html`<p class="muted">${card ? "Card payment" : paypal ? "PayPal payment" : "UPI payment"}</p>`}
${card ? cardForm : ""}
${paypal ? paypalButton : ""}
${upi ? upiForm : ""}
<p id="status" class="status" role="status" aria-live="polite">${openingStatus(session)}</p>
<a class="cancel" id="cancel" href="${session.cancel_url}">Cancel and return to ${session.merchant_name}</a>
</div>
<script type="application/json" id="checkout-config">${raw(dataBlock(config))}</script>
${card ? html`<script nonce="${options.nonce}" src="${options.vaultOrigin}/pay.js"></script>` : ""}
<script nonce="${options.nonce}">${raw(CHECKOUT_PAGE_SCRIPT)}</script>`,
  );
}

/** A page that says where a session stands when it cannot be paid: complete, expired, or unknown. */
export function checkoutStatePage(
  state: "complete" | "expired" | "missing",
  nonce: string,
  session?: CheckoutSessionRecord,
  successUrl?: string,
) {
  const titles = {
    complete: "Payment complete",
    expired: "This checkout has expired",
    missing: "This checkout link is not valid",
  } as const;
  const text = {
    complete: "This checkout was paid. Nothing more is needed.",
    expired: "The time to pay has run out and nothing was charged. Go back to the shop to start again.",
    missing: "Go back to the shop and start again.",
  } as const;
  const link =
    state === "complete" && successUrl
      ? html`<p><a id="continue" href="${successUrl}">Continue to ${session?.merchant_name ?? "the shop"}</a></p>`
      : state === "expired" && session
        ? html`<p><a id="continue" href="${session.cancel_url}">Return to ${session.merchant_name}</a></p>`
        : "";
  return layout(
    titles[state],
    nonce,
    html`<div class="panel"><h1 id="state" data-state="${state}">${titles[state]}</h1><p class="muted">${text[state]}</p>${link}</div>`,
  );
}
