import { checkTransaction } from "../../../workers/connectors/upi/upi-switch-calls.js";
import { upiSwitchLink } from "../../../workers/connectors/upi/upi-switch-link.js";
import { log } from "../../../workers/logging/logger.js";
import type { OperationIntent } from "../operations/operation-intent.js";
import type { OperationContext } from "../operations/start-operation.js";
import { applyUpiAnswer, type UpiDecision } from "./apply-upi-answer.js";
import { NPCI_STATUS_CHECKS, nextStatusCheckAt, requestFenceMs } from "./upi-timers.js";

/**
 * The alarm's half of UPI's unknown outcomes (issue 14 item 4): a UPI operation whose callback
 * has not come is asked about with ReqChkTxn on NPCI's timers. A definite answer settles it (a
 * callback arriving later changes nothing); pending or deemed answers, and silence, are asked
 * again later, until definite. "No such transaction" is definite only once the switch's request
 * fence has passed: before, the request may still be on its way.
 */
export async function checkUpiOperation(context: OperationContext, intent: OperationIntent): Promise<void> {
  const { store, env } = context;
  const payment = store.payment();
  if (!payment || !intent.upi_txn_id) return;
  const link = upiSwitchLink(env, payment.livemode);
  const answer = link ? await checkTransaction(await link, intent.upi_txn_id).catch(() => null) : null;
  let decision: UpiDecision | null = answer;
  if (answer?.status === "not_found" && Date.now() - new Date(intent.created_at).getTime() >= requestFenceMs(env)) {
    decision = { status: "not_sent" };
  }
  if (decision && applyUpiAnswer(context, intent.id, decision, "status_check") === "done") return;
  const current = store.operation(intent.id) ?? intent;
  const checks = current.inquiries + 1;
  if (checks >= NPCI_STATUS_CHECKS) {
    log(
      checks === NPCI_STATUS_CHECKS ? "warn" : "info",
      "upi transaction still not definite after NPCI's status checks",
      {
        payment_id: payment.id,
        txn: intent.upi_txn_id,
        checks,
        answer: answer?.status ?? "no answer",
      },
    );
  }
  const awaitingPayer = intent.kind === "authorize" && store.payment()?.status !== "captured";
  store.saveOperation({
    ...current,
    inquiries: checks,
    resolve_at: nextStatusCheckAt(
      env,
      intent,
      checks,
      Date.now(),
      awaitingPayer ? (payment.upi?.expires_at ?? null) : null,
    ),
  });
}
