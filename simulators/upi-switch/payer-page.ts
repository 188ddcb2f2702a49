import { Hono } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { paiseToRupees } from "../../common/upi/upi-amount.js";
import { upiCode } from "../../common/upi/upi-codes.js";
import { parseUpiPayUrl } from "../../common/upi/upi-intent-url.js";
import { isVpa } from "../../common/upi/upi-vpa.js";
import type { Ledger, TxnRecord } from "./ledger.js";
import type { PayerOutcome, SwitchEngine } from "./switch-engine.js";

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

function page(title: string, body: Page | string): Page {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1 id="title">${title}</h1>${body}</main></body></html>`;
}

/**
 * Approve and Decline for one waiting txn, each its own form. `ids`: the stable #payer-vpa,
 * #approve and #decline when it is the only txn shown, else suffixed with the txn id.
 */
function actionForms(record: TxnRecord, withPayerVpa: boolean, ids: boolean): Page {
  const suffix = ids ? "" : `-${record.id}`;
  const payerVpa = withPayerVpa
    ? html`<label>Pay from <input id="payer-vpa${suffix}" name="vpa" value="success@upi"></label>`
    : html`<input type="hidden" name="vpa" value="${record.payer ?? ""}">`;
  return html`<form method="post" action="/payer/approve">
  <input type="hidden" name="txn" value="${record.id}">${payerVpa}
  <button id="approve${suffix}" type="submit">Approve</button>
</form>
<form method="post" action="/payer/decline">
  <input type="hidden" name="txn" value="${record.id}">
  <button id="decline${suffix}" type="submit">Decline</button>
</form>`;
}

function summary(record: TxnRecord): Page {
  return html`<dl>
  <dt>Pay to</dt><dd id="payee-name">${record.payeeName ?? record.payee}</dd>
  <dt>UPI ID</dt><dd id="payee-vpa">${record.payee}</dd>
  <dt>Amount</dt><dd id="amount">₹${paiseToRupees(record.amountPaise)}</dd>
  ${record.note ? html`<dt>Note</dt><dd id="note">${record.note}</dd>` : ""}
</dl>`;
}

function outcomeTitle(outcome: PayerOutcome): string {
  switch (outcome.kind) {
    case "approved":
      return "Payment approved";
    case "declined":
      return "Payment declined";
    case "failed":
      return `Payment failed: ${upiCode(outcome.code).meaning} (${outcome.code})`;
    case "no_action":
      return "No action taken: the request will expire";
    case "needs_vpa":
      return "Enter the UPI ID to pay from";
    case "not_waiting":
      return `This request is no longer waiting (${outcome.state})`;
  }
}

/**
 * The simulated payer's app, on the API port: what a person sees after opening an intent's
 * `upi://pay` link (or scanning its QR code), and the inbox of collect requests for a VPA. Plain
 * HTML forms, no script, so a test can drive it with form posts or in Chromium.
 */
export function createPayerPage(deps: { ledger: Ledger; engine: SwitchEngine }) {
  return new Hono()
    .get("/payer", (c) => {
      const request = parseUpiPayUrl(c.req.query("upi") ?? "");
      if (!request) return c.html(page("Not a UPI payment link", ""), 400);
      const record = deps.ledger.get(request.tr);
      // The link must be the one the gateway registered: same payee, same amount.
      const matches = record?.flow === "intent" && record.payee === request.pa;
      if (!matches || record.amountPaise !== request.amountPaise) {
        return c.html(page("No such payment request", ""), 404);
      }
      if (record.state !== "AWAITING_PAYER") {
        return c.html(page(outcomeTitle({ kind: "not_waiting", state: record.state }), summary(record)), 409);
      }
      return c.html(page(`Pay ${request.pn}`, html`${summary(record)}${actionForms(record, true, true)}`));
    })
    .get("/payer/collect", (c) => {
      const vpa = c.req.query("vpa") ?? "";
      const only = c.req.query("txn");
      const waiting = deps.ledger
        .all()
        .filter(
          (r) => r.flow === "collect" && r.payer === vpa && r.state === "AWAITING_PAYER" && (!only || r.id === only),
        )
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      const items = waiting.map(
        (record) =>
          html`<section class="collect" data-txn="${record.id}">${summary(record)}${actionForms(record, false, waiting.length === 1)}</section>`,
      );
      const body = items.length > 0 ? html`${items}` : html`<p id="empty">No requests waiting.</p>`;
      return c.html(page(`Collect requests for ${vpa}`, body));
    })
    .post("/payer/:action{approve|decline}", async (c) => {
      const action = c.req.param("action") === "approve" ? "approve" : "decline";
      const form = await c.req.parseBody();
      const txn = typeof form.txn === "string" ? form.txn : "";
      const vpa = typeof form.vpa === "string" && form.vpa.trim() !== "" ? form.vpa.trim() : null;
      if (vpa !== null && !isVpa(vpa)) return c.html(page("That is not a UPI ID", ""), 400);
      const outcome = deps.engine.payerActs(txn, action, vpa);
      const status = outcome.kind === "not_waiting" ? 409 : outcome.kind === "needs_vpa" ? 400 : 200;
      return c.html(
        page(outcomeTitle(outcome), html`<p id="result" data-outcome="${outcome.kind}">${txn}</p>`),
        status,
      );
    });
}
