import type { CardSummary } from "../../../common/vault-internal-api.js";
import { settleAttempt } from "../attempts.js";
import type { PaymentRecord } from "../payment-record.js";
import { failsOver, nextProcessor } from "../payment-routing.js";
import type { PaymentStore } from "../payment-store.js";
import type { OperationIntent, OperationResult } from "./operation-intent.js";
import type { CallAnswer, OrchestratorEnv } from "./start-operation.js";

/** What an authorization's definite answer came to, and what it said of the card and the processor. */
export interface AuthorizationOutcome {
  result: OperationResult;
  decline_code: string | null;
  processor: string | null;
  reference: string | null;
  card: CardSummary | null;
}

function authorizationDeadline(env: OrchestratorEnv): string {
  const seconds = Number(env.AUTHORIZATION_WINDOW_SECONDS) || 7 * 24 * 3600;
  return new Date(Date.now() + seconds * 1000).toISOString();
}

/**
 * An attempt's definite outcome, inside the settling transaction: the attempt is settled, then
 * the payment is authorized (and captured, for automatic capture); or it fails over, logged as
 * `payment.attempt_failed` and left `processing` for the next attempt (DESIGN invariant 4a: only
 * now that this one's outcome is definite); or it fails with this attempt's code.
 */
export function settleAuthorization(
  store: PaymentStore,
  env: OrchestratorEnv,
  intent: OperationIntent,
  answer: CallAnswer,
  outcome: AuthorizationOutcome,
): void {
  const payment = store.payment() as PaymentRecord;
  const { result, processor, reference, card } = outcome;
  const failed = result !== "succeeded";
  const attempts = settleAttempt(payment.attempts, intent, {
    result,
    processor,
    processor_reference: reference,
    decline_code: failed ? outcome.decline_code : null,
    network_code: answer.outcome === "declined" ? answer.network_response_code : null,
    auth_code: answer.outcome === "approved" ? answer.auth_code : null,
  });
  const seen = card ? { card } : {};
  if (!failed) {
    store.transition(
      "authorized",
      {
        ...seen,
        processor,
        processor_reference: reference,
        attempts,
        amount_capturable: payment.amount,
        void_at: payment.capture_method === "manual" ? authorizationDeadline(env) : null,
      },
      { attempt: intent.id },
    );
    if (payment.capture_method === "automatic") {
      store.transition(
        "captured",
        { amount_captured: payment.amount, amount_capturable: 0 },
        { amount: payment.amount },
      );
    }
    return;
  }
  const tag = { attempt: intent.id, processor, result, code: outcome.decline_code };
  if (failsOver(answer, processor) && nextProcessor({ ...payment, attempts }, Date.now())) {
    store.record("payment.attempt_failed", { ...seen, attempts }, tag);
    return;
  }
  const response =
    answer.outcome === "declined"
      ? { network_response_code: answer.network_response_code, retry: answer.decline_retry }
      : null;
  store.transition(
    "failed",
    {
      ...seen,
      processor,
      processor_reference: reference,
      attempts,
      decline_code: outcome.decline_code,
      processor_response: response,
    },
    tag,
  );
}
