import { upiCode } from "../../../common/upi/upi-codes.js";
import type { UpiAnswer } from "../../../workers/connectors/upi/upi-answer.js";
import { settleAttempt } from "../attempts.js";
import { reportAttemptHealth } from "../operations/attempt-health.js";
import type { OperationIntent } from "../operations/operation-intent.js";
import { settleOperation } from "../operations/settle-operation.js";
import type { CallAnswer, OperationContext } from "../operations/start-operation.js";
import type { PaymentRecord } from "../payment-record.js";
import { upiNextAction } from "./upi-next-action.js";

/** The switch's word, or the gateway's own finding that the request never reached it. */
export type UpiDecision = UpiAnswer | { status: "not_sent" };

/** Where the word came from, for the transition log. */
export type UpiSource = "callback" | "status_check" | "ack" | "gateway";

/**
 * Applies what the switch said of a UPI operation, whatever brought it (the RespPay callback, a
 * status check, the Ack): definite answers settle the operation once, in one storage transaction
 * with the payment's move, and any later answer finds it done and changes nothing (a callback
 * after the status check decided, a callback delivered twice). Returns whether the operation is
 * still pending, so the caller schedules the next check.
 */
export function applyUpiAnswer(
  context: OperationContext,
  intentId: string,
  decision: UpiDecision,
  source: UpiSource,
): "done" | "pending" {
  const intent = context.store.operation(intentId);
  if (!intent || intent.state === "done") return "done";
  if (decision.status === "pending") {
    if (intent.kind === "authorize") {
      const payment = context.store.payment();
      // The switch has it (its Ack was lost): the payer's turn after all.
      if (payment?.status === "processing") {
        context.store.transition(
          "requires_action",
          { next_action: upiNextAction(payment) },
          { attempt: intentId, source },
        );
      }
    }
    return "pending";
  }
  if (decision.status === "not_found") return "pending"; // the caller decides, against the fence
  if (intent.kind === "authorize") settlePayment(context, intent, decision, source);
  else settleOperation(context.store, context.env, intent.id, callAnswerOf(decision, intent));
  return "done";
}

/** The gateway's terms for a definite answer about a refund (settled by the card path's own code). */
function callAnswerOf(
  decision: Exclude<UpiDecision, { status: "pending" } | { status: "not_found" }>,
  intent: OperationIntent,
): CallAnswer {
  const reference = intent.upi_txn_id ?? intent.id;
  switch (decision.status) {
    case "succeeded":
      return {
        outcome: "approved",
        processor: "upi_switch",
        processor_reference: decision.rrn ?? reference,
        auth_code: decision.approvalNum,
      };
    case "failed":
    case "expired":
      return {
        outcome: "declined",
        processor: "upi_switch",
        processor_reference: reference,
        decline_code: upiCode(decision.code).declineCode,
        decline_retry: "hard",
        network_response_code: decision.code,
      };
    case "not_sent":
      return { outcome: "unavailable", processor: "upi_switch", reason: "the request never reached the switch" };
    default: {
      const unreachable: never = decision;
      throw new Error(`unhandled UPI decision ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * A payment's definite end: UPI is single-message, so success is `captured` at once (the debit
 * is the capture); a decline is `failed` with NPCI's code mapped; a lapse is `expired`; a request
 * that never reached the switch fails as `processor_unavailable`. The attempt, the payment and
 * the intent change together.
 */
function settlePayment(
  context: OperationContext,
  intent: OperationIntent,
  decision: Exclude<UpiDecision, { status: "pending" } | { status: "not_found" }>,
  source: UpiSource,
): void {
  const { store } = context;
  store.atomically(() => {
    const payment = store.payment() as PaymentRecord;
    const upi = payment.upi ?? null;
    const tag = { attempt: intent.id, source };
    if (decision.status === "succeeded") {
      const reference = decision.rrn ?? intent.upi_txn_id ?? intent.id;
      const attempts = settleAttempt(payment.attempts, intent, {
        result: "succeeded",
        processor: "upi_switch",
        processor_reference: reference,
        decline_code: null,
        network_code: "00",
        auth_code: decision.approvalNum,
      });
      store.transition(
        "captured",
        {
          processor: "upi_switch",
          processor_reference: reference,
          attempts,
          amount_captured: payment.amount,
          amount_capturable: 0,
          next_action: null,
          pending_operation: null,
          upi: upi && { ...upi, rrn: decision.rrn, vpa: upi.vpa ?? decision.payerVpa },
        },
        { ...tag, amount: payment.amount, rrn: decision.rrn },
      );
      store.saveOperation({ ...intent, state: "done", resolve_at: null, result: "succeeded", decline_code: null });
      return;
    }
    const code = decision.status === "not_sent" ? null : decision.code;
    const declineCode = code === null ? "processor_unavailable" : upiCode(code).declineCode;
    const result = decision.status === "not_sent" ? "not_sent" : "declined";
    const attempts = settleAttempt(payment.attempts, intent, {
      result,
      processor: "upi_switch",
      processor_reference: intent.upi_txn_id ?? null,
      decline_code: declineCode,
      network_code: code,
      auth_code: null,
    });
    store.transition(
      decision.status === "expired" ? "expired" : "failed",
      {
        processor: "upi_switch",
        processor_reference: intent.upi_txn_id ?? null,
        attempts,
        decline_code: declineCode,
        processor_response: code ? { network_response_code: code } : null,
        next_action: null,
        pending_operation: null,
      },
      { ...tag, code },
    );
    store.saveOperation({ ...intent, state: "done", resolve_at: null, result, decline_code: declineCode });
  });
  reportAttemptHealth(context, intent.id, callAnswerOf(decision, intent));
}
