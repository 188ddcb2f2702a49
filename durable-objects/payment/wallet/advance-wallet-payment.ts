import { orderAnswerOf, type WalletOrderAnswer } from "../../../workers/connectors/wallet/wallet-answer.js";
import type { WalletReply } from "../../../workers/connectors/wallet/wallet-call.js";
import {
  authorizeOrder,
  captureOrder,
  createOrder,
  getOrder,
} from "../../../workers/connectors/wallet/wallet-client.js";
import { walletIssue } from "../../../workers/connectors/wallet/wallet-codes.js";
import { type WalletLink, walletLink } from "../../../workers/connectors/wallet/wallet-link.js";
import type { WalletOrder } from "../../../workers/connectors/wallet/wallet-wire.js";
import { log } from "../../../workers/logging/logger.js";
import type { OperationIntent } from "../operations/operation-intent.js";
import type { OperationContext } from "../operations/start-operation.js";
import type { PaymentRecord } from "../payment-record.js";
import {
  awaitPayer,
  capturePending,
  noteOrder,
  payerApproved,
  type WalletEnd,
  walletAuthorized,
  walletCaptured,
  walletEnded,
} from "./settle-wallet-payment.js";
import { nextWalletCheckAt, orderActionRequestId } from "./wallet-timers.js";

/** What moved the payment on: the create, the payer's return, the wallet's webhook, or the alarm. */
export type WalletTrigger = "create" | "return" | "webhook" | "status_check";

/** The order seen through the connector: its answer, and the payer it names. */
interface SeenOrder {
  answer: WalletOrderAnswer;
  payerId: string | null;
  payerEmail: string | null;
}

function seen(order: WalletOrder): SeenOrder {
  return {
    answer: orderAnswerOf(order),
    payerId: order.payer?.payer_id ?? null,
    payerEmail: order.payer?.email_address ?? null,
  };
}

const ended = (declineCode: string, issue: string | null): WalletEnd => ({
  status: "failed",
  declineCode,
  result: "declined",
  issue,
});

const EXPIRED: WalletEnd = { status: "expired", declineCode: "wallet_order_expired", result: "declined", issue: null };

/**
 * A wallet payment's single attempt, moved as far as the wallet's answers allow (issue 15): the
 * order is created (its PayPal-Request-Id the operation's id, so a create whose answer was lost is
 * repeated as the same request and PayPal answers with the order it made); the payer approves it
 * at the wallet; the gateway captures it (or authorizes, for a manual capture), under a request id
 * of its own per payment. Every trigger runs this same function against the order as the wallet
 * has it now (a GET), so the payer's return, the webhook and the alarm lead to the same single
 * transition, and whichever comes second finds nothing left to do. Money moves only on the
 * gateway's own capture or authorize request, never on what a webhook or a return URL claims.
 */
export async function advanceWalletPayment(
  context: OperationContext,
  intent: OperationIntent,
  trigger: WalletTrigger,
): Promise<void> {
  const payment = context.store.payment();
  if (!payment?.wallet || context.store.operation(intent.id)?.state !== "pending") return;
  const link = walletLink(context.env, payment.livemode);
  if (!link) {
    // The mode's wallet was unconfigured since: nothing can be asked. Only an order never made may end.
    if (!payment.wallet.order_id) return walletEnded(context, intent, notSent("wallet not configured"));
    log("error", "wallet payment waiting on a wallet no longer configured", { payment_id: payment.id });
    return later(context, intent);
  }
  const order = payment.wallet.order_id
    ? await readOrder(context, intent, link)
    : await makeOrder(context, intent, link);
  if (order === "settled") return;
  if (order === null) return later(context, intent);
  await apply(context, intent, link, order, trigger);
}

function notSent(reason: string): WalletEnd {
  return { status: "failed", declineCode: "processor_unavailable", result: "not_sent", issue: reason };
}

/** Nothing definite: ask again on the status-check schedule (a lost answer is asked about, never guessed). */
function later(context: OperationContext, intent: OperationIntent): void {
  const current = context.store.operation(intent.id) ?? intent;
  if (current.state !== "pending") return;
  const payment = context.store.payment() as PaymentRecord;
  const awaitingPayer = payment.status === "requires_action";
  context.store.saveOperation({
    ...current,
    inquiries: current.inquiries + 1,
    resolve_at: nextWalletCheckAt(
      context.env,
      current.inquiries,
      Date.now(),
      awaitingPayer ? (payment.wallet?.expires_at ?? null) : null,
    ),
  });
}

/** The create (or its repeat, under the same request id); "settled" when the wallet refused it. */
async function makeOrder(
  context: OperationContext,
  intent: OperationIntent,
  link: WalletLink,
): Promise<SeenOrder | "settled" | null> {
  const payment = context.store.payment() as PaymentRecord;
  const wallet = payment.wallet!;
  const reply = await createOrder(link, {
    intent: payment.capture_method === "automatic" ? "CAPTURE" : "AUTHORIZE",
    amountMinor: payment.amount,
    currency: payment.currency,
    paymentId: payment.id,
    operationId: intent.id,
    // The payer comes back to the gateway's pages, which bounce to the merchant's (wallet-pages.routes.ts).
    returnUrl: payment.wallet_pages?.return_url ?? wallet.return_url,
    cancelUrl: payment.wallet_pages?.cancel_url ?? wallet.cancel_url ?? wallet.return_url,
    ...(payment.wallet_brand ? { brandName: payment.wallet_brand } : {}),
    ...(payment.description ? { description: payment.description } : {}),
  }).catch(() => null);
  if (reply?.kind === "refused") {
    walletEnded(context, intent, ended(walletIssue(reply.issue).declineCode, reply.issue));
    return "settled";
  }
  if (reply === null && Date.now() > new Date(wallet.expires_at).getTime()) {
    // Never answered while an order could have lived: if one was made, nobody was ever sent to
    // approve it, and it has lapsed by now. Nothing was or will be paid.
    walletEnded(context, intent, notSent("the wallet never answered the order's creation"));
    return "settled";
  }
  if (reply?.kind !== "ok") return null;
  noteOrder(context, { order_id: reply.resource.id });
  return seen(reply.resource);
}

/** The order as the wallet has it now; "settled" when the wallet no longer knows it (it lapsed). */
async function readOrder(
  context: OperationContext,
  intent: OperationIntent,
  link: WalletLink,
): Promise<SeenOrder | "settled" | null> {
  const orderId = (context.store.payment() as PaymentRecord).wallet!.order_id!;
  const reply = await getOrder(link, orderId).catch(() => null);
  if (reply?.kind === "refused") {
    if (walletIssue(reply.issue).kind === "not_found") {
      walletEnded(context, intent, EXPIRED);
      return "settled";
    }
    log("warn", "wallet refused to read an order", { order: orderId, issue: reply.issue });
    return null;
  }
  return reply?.kind === "ok" ? seen(reply.resource) : null;
}

async function apply(
  context: OperationContext,
  intent: OperationIntent,
  link: WalletLink,
  order: SeenOrder,
  trigger: WalletTrigger,
): Promise<void> {
  const { answer } = order;
  const payment = context.store.payment() as PaymentRecord;
  switch (answer.status) {
    case "awaiting_payer": {
      // The capture (or authorize) was sent, and the order is back with its payer and holds no
      // payment: the wallet refused it (a declined instrument sends the order back for another
      // funding source) and its answer was lost. Nothing was taken, and nothing will be: only the
      // gateway captures, and it does not for a payment that has ended.
      if (context.store.operation(intent.id)?.wallet_action) {
        return walletEnded(context, intent, ended("wallet_instrument_declined", "PAYER_ACTION_REQUIRED"));
      }
      if (answer.approvalUrl) awaitPayer(context, intent, answer.approvalUrl);
      // The wallet still shows it past its lifetime (clocks differ): it lapses here all the same.
      const lapsed = Date.now() > new Date(payment.wallet!.expires_at).getTime() + 60_000;
      if (lapsed) return walletEnded(context, intent, EXPIRED);
      if (!answer.approvalUrl && payment.status === "processing") {
        log("error", "wallet order has no approval link", { payment_id: payment.id, order: answer.orderId });
      }
      return later(context, intent);
    }
    case "approved": {
      noteOrder(context, { payer_email: order.payerEmail });
      payerApproved(context, intent, order.payerId);
      return act(context, intent, link, answer.orderId, trigger);
    }
    case "completed":
      if (order.payerId || order.payerEmail)
        noteOrder(context, { payer_id: order.payerId, payer_email: order.payerEmail });
      return completed(context, intent, answer);
    case "voided":
      return walletEnded(context, intent, ended("wallet_order_voided", "VOIDED"));
    default: {
      const unreachable: never = answer;
      throw new Error(`unhandled order answer ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Captures (or authorizes) an approved order: the gateway's own request, repeated as itself after a lost answer. */
async function act(
  context: OperationContext,
  intent: OperationIntent,
  link: WalletLink,
  orderId: string,
  trigger: WalletTrigger,
): Promise<void> {
  const payment = context.store.payment() as PaymentRecord;
  const action = payment.capture_method === "automatic" ? "capture" : "authorize";
  const call = action === "capture" ? captureOrder : authorizeOrder;
  const current = context.store.operation(intent.id) ?? intent;
  // Persisted before the call (DESIGN invariant 4a): whatever its answer, the order is ours to settle.
  if (current.wallet_action !== action) context.store.saveOperation({ ...current, wallet_action: action });
  const reply: WalletReply<WalletOrder> = await call(link, orderId, orderActionRequestId(intent, action)).catch(
    () => null,
  );
  if (reply?.kind === "ok") return completed(context, intent, orderAnswerOf(reply.resource));
  if (reply === null) return later(context, intent);
  const meaning = walletIssue(reply.issue);
  switch (meaning.kind) {
    case "declined":
    case "refused":
    case "technical":
    // Approved when read a moment ago, and no longer: the payer's approval is gone, nothing was taken.
    case "not_approved":
      return walletEnded(context, intent, ended(meaning.declineCode, reply.issue));
    case "not_found":
      return walletEnded(context, intent, EXPIRED);
    case "already_done": {
      // Done by an earlier request of ours whose answer was lost: the order says how it went.
      if (trigger === "status_check") return later(context, intent);
      const again = await readOrder(context, intent, link);
      if (again === "settled") return;
      if (again?.answer.status === "completed") return completed(context, intent, again.answer);
      return later(context, intent);
    }
    default: {
      const unreachable: never = meaning.kind;
      throw new Error(`unhandled wallet issue kind ${String(unreachable)}`);
    }
  }
}

/** A completed order: its capture or authorization decides; pending ones are asked about later. */
function completed(context: OperationContext, intent: OperationIntent, answer: WalletOrderAnswer) {
  if (answer.status !== "completed") return later(context, intent);
  const { capture, authorization } = answer;
  if (capture) {
    switch (capture.status) {
      case "succeeded":
        return walletCaptured(context, intent, capture);
      case "pending":
        capturePending(context, intent, capture.captureId);
        return later(context, intent);
      case "failed":
        noteOrder(context, { capture_id: capture.captureId });
        return walletEnded(context, intent, ended(capture.declineCode, "DECLINED"));
    }
  }
  if (authorization) {
    switch (authorization.status) {
      case "authorized":
        return walletAuthorized(context, intent, authorization, voidAt(context, authorization.expiresAt));
      case "pending":
        return later(context, intent);
      case "failed":
        noteOrder(context, { authorization_id: authorization.authorizationId });
        return walletEnded(context, intent, ended(authorization.declineCode, "DENIED"));
      case "captured":
      case "voided":
        // Only the gateway captures or voids, and only once `authorized`: the wallet disagrees with itself.
        log("error", "wallet authorization moved before the gateway authorized", {
          payment_id: context.store.payment()?.id,
          authorization: authorization.authorizationId,
        });
        return later(context, intent);
    }
  }
  // A completed order answer without its payments (a minimal representation): read it in full later.
  return later(context, intent);
}

/**
 * When an uncaptured authorization is released: the gateway's window, or sooner, when the
 * wallet's authorization lapses first (PayPal: valid 29 days, honoured 3).
 */
function voidAt(context: OperationContext, walletExpiry: string | null): string {
  const seconds = Number(context.env.AUTHORIZATION_WINDOW_SECONDS) || 7 * 24 * 3600;
  const window = Date.now() + seconds * 1000;
  const lapse = walletExpiry ? Date.parse(walletExpiry) - 60_000 : Number.NaN;
  return new Date(Number.isFinite(lapse) ? Math.min(window, lapse) : window).toISOString();
}
