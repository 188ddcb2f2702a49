import type { AttemptRouting, ProjectedAttempt } from "../../common/payment-event-message.js";
import type { OperationIntent, OperationResult } from "./operations/operation-intent.js";

/** How an attempt ended, for the merchant: the operation's result, in the attempt's words. */
const STATUS_OF: Readonly<Record<OperationResult, ProjectedAttempt["status"]>> = {
  succeeded: "succeeded",
  declined: "declined",
  no_effect: "failed",
  not_sent: "failed",
  card_not_supported: "failed",
};

/**
 * A new attempt, written with the authorization intent it records (the same id): where it goes
 * and the routing decision that sent it there, or neither when the vault routes it.
 */
export function pendingAttempt(
  id: string,
  createdAt: string,
  processor: string | null = null,
  routing: AttemptRouting | null = null,
): ProjectedAttempt {
  return {
    id,
    status: "pending",
    processor,
    processor_reference: null,
    decline_code: null,
    network_code: null,
    auth_code: null,
    latency_ms: null,
    routing,
    created_at: createdAt,
    completed_at: null,
  };
}

/** What the processor's definite answer says of the attempt. */
export interface AttemptOutcome {
  result: OperationResult;
  processor: string | null;
  processor_reference: string | null;
  decline_code: string | null;
  network_code: string | null;
  auth_code: string | null;
}

/**
 * The payment's attempts with the one `intent` records settled. An attempt the list does not
 * have yet (a payment from before attempts were recorded) is added, so the list stays complete.
 */
export function settleAttempt(
  attempts: readonly ProjectedAttempt[] | undefined,
  intent: OperationIntent,
  outcome: AttemptOutcome,
  now: Date = new Date(),
): ProjectedAttempt[] {
  const list = [...(attempts ?? [])];
  const index = list.findIndex((attempt) => attempt.id === intent.id);
  const current = index >= 0 ? list[index]! : pendingAttempt(intent.id, intent.created_at);
  const settled: ProjectedAttempt = {
    ...current,
    status: STATUS_OF[outcome.result],
    processor: outcome.processor,
    processor_reference: outcome.processor_reference,
    decline_code: outcome.decline_code,
    network_code: outcome.network_code,
    auth_code: outcome.auth_code,
    latency_ms: Math.max(0, now.getTime() - new Date(intent.created_at).getTime()),
    completed_at: now.toISOString(),
  };
  if (index >= 0) list[index] = settled;
  else list.push(settled);
  return list;
}
