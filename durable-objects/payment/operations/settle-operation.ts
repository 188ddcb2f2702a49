import { log } from "../../../workers/logging/logger.js";
import type { PaymentRecord, RefundRecord } from "../payment-record.js";
import type { PaymentStore } from "../payment-store.js";
import type { OperationIntent, OperationResult } from "./operation-intent.js";
import { settleAuthorization } from "./settle-authorization.js";
import type { CallAnswer, OrchestratorEnv } from "./start-operation.js";

interface Settled {
  result: OperationResult;
  decline_code: string | null;
}

/** A definite answer's result, or null while the outcome is still unknown. */
function resultOf(intent: OperationIntent, answer: CallAnswer): Settled | null {
  switch (answer.outcome) {
    case "approved":
      return { result: "succeeded", decline_code: null };
    case "declined":
      return { result: "declined", decline_code: answer.decline_code };
    case "no_effect":
      return {
        result: "no_effect",
        decline_code: intent.kind === "authorize" ? "processor_timeout" : "processing_error",
      };
    case "unavailable":
      return { result: "not_sent", decline_code: "processor_unavailable" };
    case "card_not_supported":
      return { result: "card_not_supported", decline_code: "card_not_supported" };
    case "refused":
      return {
        result: "not_sent",
        decline_code: answer.status === 404 && intent.kind === "authorize" ? "invalid_token" : "processor_unavailable",
      };
    case "unknown":
      return null;
    default: {
      const unreachable: never = answer;
      throw new Error(`unhandled answer ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The refund an operation made (or tried to), in the given state. */
function refundOf(
  intent: OperationIntent,
  payment: PaymentRecord,
  status: RefundRecord["status"],
  failure: string | null,
  version: number,
): RefundRecord {
  const now = new Date().toISOString();
  return {
    id: intent.refund_id ?? "",
    payment_id: payment.id,
    merchant_id: payment.merchant_id,
    idempotency_key: intent.idempotency_key ?? null,
    amount: intent.amount,
    currency: payment.currency,
    status,
    reason: intent.refund_reason,
    failure_code: failure,
    version,
    created_at: intent.created_at,
    updated_at: now,
  };
}

/**
 * The persist-the-outcome stage: a definite answer moves the payment (or records why it did
 * not move) and closes the intent, in one storage transaction. Returns false while unknown.
 */
export function settleOperation(store: PaymentStore, env: OrchestratorEnv, id: string, answer: CallAnswer): boolean {
  const intent = store.operation(id);
  if (!intent || intent.state === "done") return true;
  const settled = resultOf(intent, answer);
  if (!settled) return false;
  const card = "card" in answer ? (answer.card ?? null) : null;
  const processor = "processor" in answer && answer.processor ? answer.processor : intent.processor;
  const reference = "processor_reference" in answer ? answer.processor_reference : null;
  store.atomically(() => {
    store.patch({ pending_operation: null });
    const payment = store.payment() as PaymentRecord;
    const tag = { operation: intent.id, result: settled.result };
    const failed = settled.result !== "succeeded";
    // Nothing happened and the merchant was never told otherwise: nothing to log.
    const silent = settled.result === "not_sent" && !intent.announced;
    switch (intent.kind) {
      case "authorize":
        settleAuthorization(store, env, intent, answer, { ...settled, processor, reference, card });
        break;
      case "capture":
        if (!failed) {
          store.transition(
            "captured",
            { amount_captured: intent.amount, amount_capturable: 0, void_at: null, capture_status: "succeeded" },
            { amount: intent.amount, ...tag },
          );
        } else if (!silent) {
          store.record("payment.capture_failed", { capture_status: "failed" }, { ...tag, code: settled.decline_code });
        }
        break;
      case "void":
        if (!failed) {
          store.transition(
            "voided",
            { amount_capturable: 0, void_at: null },
            intent.reason === "authorization_expired" ? { reason: "authorization_expired", ...tag } : tag,
          );
        } else {
          const retry = intent.reason === "authorization_expired" ? releaseRetry(payment) : {};
          if (silent) store.patch(retry);
          else store.record("void.failed", retry, { ...tag, code: settled.decline_code });
        }
        break;
      case "refund": {
        const version = (store.refunds().find((refund) => refund.id === intent.refund_id)?.version ?? 0) + 1;
        if (!failed) {
          const refunded = payment.amount_refunded + intent.amount;
          store.transition(
            refunded === payment.amount_captured ? "refunded" : "partially_refunded",
            { amount_refunded: refunded },
            { refund: intent.refund_id, amount: intent.amount, ...tag },
            [refundOf(intent, payment, "succeeded", null, version)],
          );
        } else if (!silent) {
          store.record("refund.failed", {}, { refund: intent.refund_id, ...tag }, [
            refundOf(intent, payment, "failed", settled.decline_code, version),
          ]);
        }
        break;
      }
      default: {
        const unreachable: never = intent.kind;
        throw new Error(`unhandled operation ${unreachable}`);
      }
    }
    store.saveOperation({ ...intent, state: "done", resolve_at: null, ...settled });
  });
  return true;
}

/**
 * An expired authorization the processor would not release is tried again later: a minute,
 * doubling up to a day, and ops hear of it from the fifth refusal on (a host that keeps
 * declining a reversal needs a person, not a tighter loop).
 */
function releaseRetry(payment: PaymentRecord): Partial<PaymentRecord> {
  const failures = (payment.void_failures ?? 0) + 1;
  const delay = Math.min(60_000 * 2 ** (failures - 1), 24 * 3600 * 1000);
  if (failures >= 5) {
    log("error", "authorization release keeps failing", { payment_id: payment.id, failures });
  }
  return { void_at: new Date(Date.now() + delay).toISOString(), void_failures: failures };
}

/**
 * An operation whose answer did not come: shown to the merchant as pending (one logged change),
 * so the resolution that follows is logged against it. An authorization is already visible as
 * `processing`.
 */
export function announcePending(store: PaymentStore, id: string, resolveAt?: number): void {
  const found = store.operation(id);
  if (!found || found.state === "done") return;
  const intent = resolveAt === undefined ? found : { ...found, resolve_at: resolveAt };
  if (intent.announced) {
    store.saveOperation(intent);
    return;
  }
  store.atomically(() => {
    const payment = store.payment() as PaymentRecord;
    const tag = { operation: intent.id };
    if (intent.kind === "capture") store.record("capture.pending", { capture_status: "pending" }, tag);
    if (intent.kind === "void") store.record("void.pending", {}, tag);
    if (intent.kind === "refund") {
      store.record("refund.pending", {}, { ...tag, refund: intent.refund_id }, [
        refundOf(intent, payment, "pending", null, 1),
      ]);
    }
    store.saveOperation({ ...intent, announced: true });
  });
}
