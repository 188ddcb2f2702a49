import type { ProjectedWallet } from "../../../common/payment-event-message.js";
import type {
  WalletAuthorizationAnswer,
  WalletCaptureAnswer,
} from "../../../workers/connectors/wallet/wallet-answer.js";
import { settleAttempt } from "../attempts.js";
import { reportAttemptHealth } from "../operations/attempt-health.js";
import type { OperationIntent, OperationResult } from "../operations/operation-intent.js";
import type { OperationContext } from "../operations/start-operation.js";
import type { PaymentRecord } from "../payment-record.js";

/**
 * The wallet payment's moves, each one storage transaction with its event (the card path's
 * `settleAuthorization`, for a payment whose single attempt is an order at the wallet): the payer's
 * turn, the payer's approval, and the ends (captured, authorized, failed, expired). Each checks it
 * is still due, so the payer's return, the wallet's webhook and the alarm may race to the same
 * move and only the first makes it.
 */

type Wallet = ProjectedWallet;

function current(context: OperationContext): { payment: PaymentRecord; wallet: Wallet } {
  const payment = context.store.payment() as PaymentRecord;
  return { payment, wallet: payment.wallet as Wallet };
}

/** Saves what the wallet said of the order without a logged change (its id, payer, approval page). */
export function noteOrder(context: OperationContext, changes: Partial<Wallet>): void {
  const { wallet } = current(context);
  context.store.patch({ wallet: { ...wallet, ...changes } });
}

/** The order exists and waits for its payer: `requires_action`, sent to the approval page. */
export function awaitPayer(context: OperationContext, intent: OperationIntent, approvalUrl: string): void {
  const { payment, wallet } = current(context);
  if (payment.status !== "processing") return;
  context.store.transition(
    "requires_action",
    {
      wallet: { ...wallet, approval_url: approvalUrl },
      next_action: { type: "redirect_to_url", redirect_to_url: { url: approvalUrl, return_url: wallet.return_url } },
    },
    { attempt: intent.id, order: wallet.order_id },
  );
}

/** The payer approved the order: `processing` while the gateway captures (or authorizes) it. */
export function payerApproved(context: OperationContext, intent: OperationIntent, payerId: string | null): void {
  const { payment, wallet } = current(context);
  const changes = { wallet: { ...wallet, payer_id: payerId ?? wallet.payer_id }, next_action: null };
  if (payment.status === "requires_action") {
    context.store.transition("processing", changes, { attempt: intent.id, reason: "payer_approved" });
  } else {
    context.store.patch(changes);
  }
}

/** A capture the wallet has taken but not finished (PayPal's review, an eCheck): shown as pending once. */
export function capturePending(context: OperationContext, intent: OperationIntent, captureId: string): void {
  const { payment, wallet } = current(context);
  if (payment.capture_status === "pending" && wallet.capture_id === captureId) return;
  context.store.record(
    "capture.pending",
    { capture_status: "pending", wallet: { ...wallet, capture_id: captureId } },
    { attempt: intent.id, capture: captureId },
  );
}

/** The attempt settled (with the wallet's own word for a refusal: PayPal's issue or status) and its intent closed. */
function closeAttempt(
  context: OperationContext,
  intent: OperationIntent,
  result: OperationResult,
  reference: string | null,
  declineCode: string | null,
  issue: string | null = null,
) {
  const { payment } = current(context);
  const attempts = settleAttempt(payment.attempts, intent, {
    result,
    processor: "paypal",
    processor_reference: reference,
    decline_code: declineCode,
    network_code: issue,
    auth_code: null,
  });
  context.store.saveOperation({ ...intent, state: "done", resolve_at: null, result, decline_code: declineCode });
  return attempts;
}

/**
 * The attempt's success, as `to` (captured or authorized), `reference` the wallet's capture or
 * authorization: the attempt settled, the payment moved with `changes`, then the processor's health told.
 */
function succeed(
  context: OperationContext,
  intent: OperationIntent,
  to: "captured" | "authorized",
  reference: string,
  changes: (payment: PaymentRecord, wallet: Wallet) => Partial<PaymentRecord>,
): void {
  context.store.atomically(() => {
    const { payment, wallet } = current(context);
    const attempts = closeAttempt(context, intent, "succeeded", reference, null);
    context.store.transition(
      to,
      {
        processor: "paypal",
        processor_reference: reference,
        attempts,
        next_action: null,
        pending_operation: null,
        ...changes(payment, wallet),
      },
      { attempt: intent.id, amount: payment.amount, [to === "captured" ? "capture" : "authorization"]: reference },
    );
  });
  reportAttemptHealth(context, intent.id, {
    outcome: "approved",
    processor: "paypal",
    processor_reference: reference,
    auth_code: null,
  });
}

/** The money is the merchant's: a single-step `captured` (intent CAPTURE), the capture its reference. */
export function walletCaptured(
  context: OperationContext,
  intent: OperationIntent,
  capture: Extract<WalletCaptureAnswer, { status: "succeeded" }>,
): void {
  succeed(context, intent, "captured", capture.captureId, (payment, wallet) => ({
    amount_captured: payment.amount,
    amount_capturable: 0,
    capture_status: payment.capture_status === "pending" ? "succeeded" : payment.capture_status,
    wallet: { ...wallet, capture_id: capture.captureId },
  }));
}

/** Held for a later capture (intent AUTHORIZE): `authorized` until captured, voided, or released at `voidAt`. */
export function walletAuthorized(
  context: OperationContext,
  intent: OperationIntent,
  authorization: Extract<WalletAuthorizationAnswer, { status: "authorized" }>,
  voidAt: string,
): void {
  succeed(context, intent, "authorized", authorization.authorizationId, (payment, wallet) => ({
    amount_capturable: payment.amount,
    void_at: voidAt,
    wallet: { ...wallet, authorization_id: authorization.authorizationId },
  }));
}

/** How a payment ended without money, and the wallet's word for it (a PayPal issue or status), if it said one. */
export interface WalletEnd {
  status: "failed" | "expired";
  declineCode: string;
  result: OperationResult;
  issue: string | null;
}

/**
 * The payment's end without money: `failed` (the payer's funding declined, the wallet refused the
 * order, or it never reached the wallet: `not_sent`), or `expired` (the order lapsed unapproved).
 */
export function walletEnded(context: OperationContext, intent: OperationIntent, end: WalletEnd): void {
  context.store.atomically(() => {
    const { payment, wallet } = current(context);
    const reference = wallet.capture_id ?? wallet.authorization_id ?? wallet.order_id;
    const attempts = closeAttempt(context, intent, end.result, reference, end.declineCode, end.issue);
    context.store.transition(
      end.status,
      {
        processor: "paypal",
        processor_reference: reference,
        attempts,
        decline_code: end.declineCode,
        processor_response: end.issue ? { wallet_issue: end.issue } : null,
        capture_status: payment.capture_status === "pending" ? "failed" : payment.capture_status,
        next_action: null,
        pending_operation: null,
      },
      { attempt: intent.id, order: wallet.order_id, code: end.declineCode },
    );
  });
  if (end.result === "declined" && end.status === "failed") {
    reportAttemptHealth(context, intent.id, {
      outcome: "declined",
      processor: "paypal",
      processor_reference: intent.id,
      decline_code: end.declineCode,
      decline_retry: "hard",
      // The registry classes the gateway's codes: PayPal's issues are many names for a few meanings.
      network_response_code: end.declineCode,
    });
  } else if (end.result === "not_sent") {
    reportAttemptHealth(context, intent.id, { outcome: "unavailable", processor: "paypal", reason: end.declineCode });
  }
}
