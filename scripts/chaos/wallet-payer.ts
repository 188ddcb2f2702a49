import type { DevJson } from "../../test/support/running-stack.js";
import { type Answer, control } from "./client.js";
import { NEVER_APPROVES, SHOP_CANCEL, SHOP_RETURN, type WalletPayer } from "./plan.js";

/**
 * The wallet's payers in the campaign (issue 15): each wallet payment's payer goes to the approval
 * page as soon as the create names it (the merchant redirects at once), and logs in as one of the
 * wallet simulator's test payers, or cancels, or leaves; with or without following the wallet's
 * redirect back through the gateway's hosted return page (without it, the wallet's webhook or the
 * gateway's status check must finish the payment). No browser: the page's forms are posted as
 * test/support/wallet-kit.ts does, and every redirect is read, not followed blindly. A trip the
 * stack could not take (no approval page yet because the order's creation went unanswered, or the
 * wallet's port refused) is owed, and made again at each batch boundary and while settling, as a
 * payer who reloads the merchant's page would.
 */

/** One payer's story: what the plan says they do, and how far it got. */
export interface PayerRecord {
  slot: number;
  payer: WalletPayer;
  follow: boolean;
  /** The trip to the approval page: owed until made; moot when the payment ended before it had a page. */
  trip: "owed" | "done" | "moot";
  /** A payer who never approves: the order's expiry at the wallet, owed from its plan step until the wallet took it. */
  expiry: "none" | "owed" | "done" | "moot";
  /** The payer approved at the wallet (its form answered 303 to the gateway's return page). */
  approved: boolean;
  /** The `redirect_status` the gateway's hosted page gave the merchant's page, when the payer followed it. */
  told: string | null;
  /** A hosted page that did not send the payer on, 303, to the merchant's page for this payment. */
  pageProblems: string[];
}

/** What one try did, for the payment's history. */
export interface PayerStep {
  what: string;
  status: number;
  detail: string | null;
  ms: number;
}

/** The payer's browser: one hop, redirects not followed, given up on after 45 s (longer than any page's budget). */
async function hop(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; location: string | null; body: string; ms: number }> {
  const started = Date.now();
  try {
    const response = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(45_000) });
    const body = await response.text();
    return { status: response.status, location: response.headers.get("location"), body, ms: Date.now() - started };
  } catch (error) {
    return { status: 0, location: null, body: String(error), ms: Date.now() - started };
  }
}

const email = (payer: WalletPayer) => `${payer}@wallet.test`;

/**
 * The payer's trip for a payment as the API shows it now. Made only from an approval page the
 * payment names (`requires_action` with `next_action.redirect_to_url`); a payment still
 * `processing` without one keeps the trip owed; one that ended without it makes the trip moot.
 */
export async function walletTrip(record: PayerRecord, payment: Record<string, any>): Promise<PayerStep[]> {
  const url = payment.next_action?.redirect_to_url?.url as string | undefined;
  const orderId = payment.payment_method?.paypal?.order_id as string | undefined;
  if (payment.status !== "requires_action" || !url || !orderId) {
    if (payment.status !== "processing" && payment.status !== "requires_action") record.trip = "moot";
    return [];
  }
  const steps: PayerStep[] = [];
  const page = await hop(url);
  steps.push({ what: `GET approval page as ${record.payer}`, status: page.status, detail: null, ms: page.ms });
  if (page.status !== 200) return steps;
  if (record.payer === "abandon") {
    record.trip = "done"; // opened the page and left
    return steps;
  }
  const action = NEVER_APPROVES.has(record.payer) ? "cancel" : "approve";
  const fields: Record<string, string> = { token: orderId };
  if (action === "approve") fields.email = email(record.payer);
  const posted = await hop(new URL(`/checkoutnow/${action}`, url).toString(), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  steps.push({ what: `POST /checkoutnow/${action}`, status: posted.status, detail: posted.location, ms: posted.ms });
  if (posted.status !== 303 || !posted.location) return steps;
  record.trip = "done";
  record.approved = action === "approve";
  if (!record.follow) return steps;
  const gatewayPage = posted.location;
  const back = await hop(gatewayPage);
  const landing = back.location ? new URL(back.location, gatewayPage) : null;
  const told = landing?.searchParams.get("redirect_status") ?? null;
  steps.push({
    what: `GET ${new URL(gatewayPage).pathname.replace(/pay_[0-9a-f]{64}/, "{payment}")}`,
    status: back.status,
    detail: landing ? `${landing.origin}${landing.pathname} redirect_status=${told}` : back.body.slice(0, 120),
    ms: back.ms,
  });
  const merchantPage = action === "approve" ? SHOP_RETURN : SHOP_CANCEL;
  if (back.status !== 303 || !landing) {
    record.pageProblems.push(
      `the gateway's ${action === "approve" ? "return" : "cancel"} page answered ${back.status || "nothing in 45 s"}, not 303 to the merchant's page`,
    );
  } else if (
    `${landing.origin}${landing.pathname}` !== merchantPage ||
    landing.searchParams.get("payment_id") !== payment.id
  ) {
    record.pageProblems.push(
      `the gateway's page sent the payer to ${landing.href}, not ${merchantPage} for this payment`,
    );
  } else {
    record.told = told;
  }
  return steps;
}

/**
 * The order of a payer who never approved lapses at the wallet (the simulator's admin forces what
 * its clock would do in 3 hours); the gateway must notice on its next status check. Owed while the
 * payment names no order yet (its creation unanswered); moot when the payment ended without one.
 */
export async function expireOrder(
  dev: DevJson,
  record: PayerRecord,
  payment: Record<string, any>,
): Promise<PayerStep[]> {
  const orderId = payment.payment_method?.paypal?.order_id as string | undefined;
  if (!orderId) {
    if (payment.status !== "processing" && payment.status !== "requires_action") record.expiry = "moot";
    return [];
  }
  const answer: Answer = await control(`${dev.wallet_admin}/orders/${orderId}/expire`, "POST");
  // 409: already expired, or (a payer who cancelled and never approved cannot have) approved.
  if (answer.status === 200 || answer.status === 409) record.expiry = "done";
  return [
    {
      what: `POST wallet admin /orders/${orderId}/expire`,
      status: answer.status,
      detail: answer.status === 200 ? null : String(answer.json.error ?? JSON.stringify(answer.json).slice(0, 120)),
      ms: answer.ms,
    },
  ];
}

const CAPTURED_OR_AFTER = new Set(["captured", "partially_refunded", "refunded"]);
const MONEY_TAKEN_OR_HELD = new Set([...CAPTURED_OR_AFTER, "authorized", "voided"]);
const ENDED_WITHOUT = new Set(["failed", "expired", "voided"]);

/**
 * The payer's side of the checks: what the payer did at the wallet decides how the payment ends,
 * whatever faults came between. A payer who approved and pays (approve@, pending@) leaves a
 * payment captured or authorized (and whatever the merchant did since); decline@ leaves it
 * `failed` with `wallet_instrument_declined`; deny@ and pending-deny@ leave an automatic capture
 * `failed`; a payer who never approved leaves it `expired` once the order lapsed (or `failed` if
 * the order was never made). What the hosted page told the merchant's page agrees with the end:
 * `succeeded` never ends without the money, `failed` never ends with it.
 */
export function payerProblems(record: PayerRecord, object: Record<string, any>, manual: boolean): string[] {
  const problems = [...record.pageProblems];
  const status = object.status as string;
  if (record.trip === "owed") problems.push(`the payer's trip (${record.payer}) was never made: no approval page`);
  if (record.expiry === "owed")
    problems.push("the order of a payer who never approved was never expired at the wallet");
  if (record.approved) {
    if ((record.payer === "approve" || record.payer === "pending") && !MONEY_TAKEN_OR_HELD.has(status)) {
      problems.push(`${email(record.payer)} approved, and the payment ended ${status} (${object.decline_code})`);
    }
    if (record.payer === "decline" && (status !== "failed" || object.decline_code !== "wallet_instrument_declined")) {
      problems.push(`decline@wallet.test approved, and the payment ended ${status} (${object.decline_code})`);
    }
    if ((record.payer === "deny" || record.payer === "pending-deny") && !manual && status !== "failed") {
      problems.push(`${email(record.payer)} approved an automatic capture, and the payment ended ${status}`);
    }
  }
  if (NEVER_APPROVES.has(record.payer) && record.expiry === "done" && status !== "expired") {
    problems.push(`${email(record.payer)} never approved, the order lapsed, and the payment ended ${status}`);
  }
  if (record.told === "succeeded" && !MONEY_TAKEN_OR_HELD.has(status)) {
    problems.push(`the payer was told succeeded, and the payment ended ${status}`);
  }
  if (record.told === "failed" && !ENDED_WITHOUT.has(status)) {
    problems.push(`the payer was told failed, and the payment ended ${status}`);
  }
  if (record.told === "canceled" && record.approved) problems.push("an approving payer was told canceled");
  return problems;
}
