import { Hono } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { OrderRecord } from "./books.js";
import { toMoney } from "./money.js";
import type { Orders } from "./orders.js";
import { PayPalFailure } from "./paypal-error.js";
import { DEFAULT_PAYER, isEmail, TEST_PAYERS } from "./test-payers.js";

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

function page(title: string, body: Page | string = ""): Page {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1 id="title">${title}</h1>${body}</main></body></html>`;
}

const result = (outcome: string, text: string) => html`<p id="result" data-outcome="${outcome}">${text}</p>`;

function checkout(order: OrderRecord): Page {
  const amount = toMoney(order.amountMinor, order.currency);
  const payLabel = order.experience.userAction === "PAY_NOW" ? "Pay Now" : "Continue";
  const payers = Object.keys(TEST_PAYERS).map((email) => html`<option value="${email}"></option>`);
  return html`<dl>
  <dt>Pay to</dt><dd id="merchant">${order.experience.brandName ?? "Wallet simulator merchant"}</dd>
  <dt>Amount</dt><dd id="amount">${amount.value} ${amount.currency_code}</dd>
  ${order.description ? html`<dt>For</dt><dd id="description">${order.description}</dd>` : ""}
</dl>
<form method="post" action="/checkoutnow/approve">
  <input type="hidden" name="token" value="${order.id}">
  <label>Log in as <input id="payer-email" name="email" type="email" list="test-payers" value="${DEFAULT_PAYER}"></label>
  <datalist id="test-payers">${payers}</datalist>
  <button id="approve" type="submit">${payLabel}</button>
</form>
<form method="post" action="/checkoutnow/cancel">
  <input type="hidden" name="token" value="${order.id}">
  <button id="cancel" type="submit">Cancel and return to the merchant</button>
</form>`;
}

/** `url` with the query parameters PayPal appends on the way back. */
function back(url: string, params: Record<string, string>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  return target.toString();
}

/**
 * The hosted approval page, on the API port, where the order's `approve` / `payer-action` link
 * leads (`/checkoutnow?token=<order id>`, as PayPal's does). The payer logs in as a test payer
 * and approves, or cancels. Approval sends the payer back, 303, to
 * `return_url?token=<order id>&PayerID=<payer id>`; cancel to `cancel_url?token=<order id>`,
 * leaving the order as it was (it expires if nobody approves it). Plain HTML forms, no script, so
 * a test drives it with form posts or in Chromium.
 */
export function createApprovalPage(orders: Orders) {
  const live = (token: string): OrderRecord | null => {
    try {
      return orders.get(token);
    } catch (error) {
      if (error instanceof PayPalFailure) return null;
      throw error;
    }
  };
  const gone = page(
    "This checkout has expired or does not exist",
    result("gone", "Return to the merchant and try again."),
  );
  const form = async (c: { req: { parseBody(): Promise<Record<string, unknown>> } }) => {
    const body = await c.req.parseBody();
    return { token: String(body.token ?? ""), email: String(body.email ?? "").trim() };
  };
  return new Hono()
    .get("/checkoutnow", (c) => {
      const order = live(c.req.query("token") ?? "");
      if (!order) return c.html(gone, 404);
      if (order.status !== "CREATED" && order.status !== "PAYER_ACTION_REQUIRED") {
        return c.html(page(`This order is ${order.status.toLowerCase()}`, result("not_waiting", order.id)), 409);
      }
      return c.html(page(`Pay with Wallet: ${order.experience.brandName ?? "checkout"}`, checkout(order)));
    })
    .post("/checkoutnow/approve", async (c) => {
      const { token, email } = await form(c);
      if (!isEmail(email)) return c.html(page("That is not an e-mail address", result("bad_email", email)), 400);
      if (!live(token)) return c.html(gone, 404);
      const outcome = orders.approve(token, email);
      if (outcome.kind === "not_waiting") {
        return c.html(page(`This order is ${outcome.order.status.toLowerCase()}`, result("not_waiting", token)), 409);
      }
      if (outcome.kind === "abandoned") {
        return c.html(page("You left without approving", result("abandoned", "Nothing was sent to the merchant.")));
      }
      const returnUrl = outcome.order.experience.returnUrl;
      if (returnUrl) return c.redirect(back(returnUrl, { token, PayerID: outcome.order.payer?.payerId ?? "" }), 303);
      return c.html(page("Approved: return to the merchant", result("approved", token)));
    })
    .post("/checkoutnow/cancel", async (c) => {
      const { token } = await form(c);
      const order = live(token);
      if (!order) return c.html(gone, 404);
      const cancelUrl = order.experience.cancelUrl;
      if (cancelUrl) return c.redirect(back(cancelUrl, { token }), 303);
      return c.html(page("Cancelled: return to the merchant", result("cancelled", token)));
    });
}
