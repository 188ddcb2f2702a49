import { inquiryBackoffMs } from "../../../common/timeout-budgets.js";
import {
  captureAnswerOf,
  refundAnswerOf,
  type WalletCaptureAnswer,
  type WalletRefundAnswer,
} from "../../../workers/connectors/wallet/wallet-answer.js";
import type { WalletReply } from "../../../workers/connectors/wallet/wallet-call.js";
import {
  captureAuthorization,
  getCapture,
  getRefund,
  refundCapture,
  voidAuthorization,
} from "../../../workers/connectors/wallet/wallet-client.js";
import { walletIssue } from "../../../workers/connectors/wallet/wallet-codes.js";
import type { WalletRefusal } from "../../../workers/connectors/wallet/wallet-http.js";
import { walletLink } from "../../../workers/connectors/wallet/wallet-link.js";
import type { OperationIntent, OperationKind } from "../operations/operation-intent.js";
import { announcePending, settleOperation } from "../operations/settle-operation.js";
import { type CallAnswer, type OperationContext, startOperation } from "../operations/start-operation.js";
import type { PaymentRecord } from "../payment-record.js";

type FollowUpKind = Exclude<OperationKind, "authorize">;

const approved = (reference: string): CallAnswer => ({
  outcome: "approved",
  processor: "paypal",
  processor_reference: reference,
  auth_code: null,
});

const declined = (reference: string, refusal: WalletRefusal): CallAnswer => ({
  outcome: "declined",
  processor: "paypal",
  processor_reference: reference,
  decline_code: walletIssue(refusal.issue).declineCode,
  decline_retry: "hard",
  network_response_code: refusal.issue,
});

const unknown = (reference: string | null): CallAnswer => ({
  outcome: "unknown",
  processor: "paypal",
  processor_reference: reference,
  resolution: "inquiry",
});

/** A capture's or refund's answer in the operation's terms; a pending one names what to ask about later. */
function settledBy(
  answer: WalletCaptureAnswer | WalletRefundAnswer,
  id: string,
  remember: (reference: string) => void,
): CallAnswer {
  switch (answer.status) {
    case "succeeded":
      return approved(id);
    case "pending":
      remember(id);
      return unknown(id);
    case "failed":
      return {
        outcome: "declined",
        processor: "paypal",
        processor_reference: id,
        decline_code: answer.declineCode,
        decline_retry: "hard",
        network_response_code: answer.declineCode,
      };
    default: {
      const unreachable: never = answer;
      throw new Error(`unhandled wallet answer ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * One follow-up at the wallet (a manual capture, a void, a refund), or its repeat: PayPal runs a
 * POST once per PayPal-Request-Id (the operation's id) and answers a repeat with what it did, so
 * a lost answer is resolved by asking the same question again. A capture or refund the wallet
 * left PENDING is asked about by GET instead, as its repeat would only say PENDING again.
 */
async function callWallet(
  context: OperationContext,
  intent: OperationIntent,
  payment: PaymentRecord,
): Promise<CallAnswer> {
  const link = walletLink(context.env, payment.livemode);
  const wallet = payment.wallet;
  if (!link || !wallet) return { outcome: "unavailable", processor: "paypal", reason: "no wallet in this mode" };
  const remember = (reference: string) => {
    const current = context.store.operation(intent.id);
    if (current && current.wallet_reference !== reference) {
      context.store.saveOperation({ ...current, wallet_reference: reference });
    }
  };
  const money = { minor: intent.amount, currency: payment.currency };
  const authorization = wallet.authorization_id ?? "";
  const kind = intent.kind as FollowUpKind;
  switch (kind) {
    case "capture": {
      const reply: WalletReply<unknown> = intent.wallet_reference
        ? await getCapture(link, intent.wallet_reference)
        : await captureAuthorization(link, authorization, { requestId: intent.id, amount: money });
      if (reply?.kind === "refused") {
        // Captured before, by this very request whose answer was lost after its request id lapsed.
        if (walletIssue(reply.issue).kind === "already_done") return approved(authorization);
        return declined(authorization, reply);
      }
      if (reply?.kind !== "ok") return unknown(intent.wallet_reference ?? null);
      const capture = captureAnswerOf(reply.resource as Parameters<typeof captureAnswerOf>[0]);
      if (capture.status === "succeeded") context.store.patch({ wallet: { ...wallet, capture_id: capture.captureId } });
      return settledBy(capture, capture.captureId, remember);
    }
    case "void": {
      const reply = await voidAuthorization(link, authorization, intent.id);
      if (reply?.kind === "refused") {
        if (reply.issue === "PREVIOUSLY_VOIDED") return approved(authorization);
        return declined(authorization, reply);
      }
      return reply?.kind === "ok" ? approved(authorization) : unknown(authorization);
    }
    case "refund": {
      const capture = wallet.capture_id ?? "";
      const reply: WalletReply<unknown> = intent.wallet_reference
        ? await getRefund(link, intent.wallet_reference)
        : await refundCapture(link, capture, {
            requestId: intent.id,
            ...(intent.refund_id ? { refundId: intent.refund_id } : {}),
            amount: money,
            ...(intent.refund_reason ? { noteToPayer: `Refund: ${intent.refund_reason}` } : {}),
          });
      if (reply?.kind === "refused") return declined(capture, reply);
      if (reply?.kind !== "ok") return unknown(intent.wallet_reference ?? null);
      const refund = refundAnswerOf(reply.resource as Parameters<typeof refundAnswerOf>[0]);
      return settledBy(refund, refund.refundId, remember);
    }
    default: {
      const unreachable: never = kind;
      throw new Error(`unhandled wallet follow-up ${String(unreachable)}`);
    }
  }
}

/**
 * A wallet payment's capture, void or refund, through `startOperation` like a card's: the intent
 * first, then the call, then the outcome; a lost answer leaves it pending for the alarm.
 */
export function walletFollowUp(
  context: OperationContext,
  kind: FollowUpKind,
  spec: {
    amount: number;
    reason?: OperationIntent["reason"];
    refundId?: string;
    refundReason?: string | null;
    refundKey?: string | null;
  },
): Promise<OperationIntent> {
  return startOperation(context, { kind, ...spec }, (intent, payment) =>
    callWallet(context, intent, payment).catch(() => unknown(null)),
  );
}

/** The alarm's half: a pending follow-up is asked again (same request id, or by GET); still unknown, later. */
export async function resolveWalletFollowUp(context: OperationContext, intent: OperationIntent): Promise<void> {
  const { store } = context;
  const payment = store.payment();
  if (!payment) return;
  const answer = await callWallet(context, intent, payment).catch(() => unknown(null));
  if (settleOperation(store, context.env, intent.id, answer)) return;
  announcePending(store, intent.id);
  const current = store.operation(intent.id) ?? intent;
  store.saveOperation({
    ...current,
    inquiries: current.inquiries + 1,
    resolve_at: Date.now() + inquiryBackoffMs(current.inquiries),
  });
}
