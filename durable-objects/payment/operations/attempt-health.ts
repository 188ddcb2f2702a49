import { classifyAnswer, PROCESSOR_REGISTRY } from "../../../common/processor-registry.js";
import { BUDGETS } from "../../../common/timeout-budgets.js";
import { recordOutcome } from "../../../workers/processor-health/health-recorder.js";
import type { OutcomeResult } from "../../processor-health/processor-health.types.js";
import { isProcessorId } from "../payment-routing.js";
import type { CallAnswer, OperationContext } from "./start-operation.js";

/**
 * What an authorization's definite answer says of its processor's health, or null when it says
 * nothing of it: a card it does not take, or a request the vault refused before sending.
 */
function healthResult(answer: CallAnswer, processor: keyof typeof PROCESSOR_REGISTRY): OutcomeResult | null {
  switch (answer.outcome) {
    case "approved":
      return "approved";
    case "declined":
      return classifyAnswer(PROCESSOR_REGISTRY[processor], answer.network_response_code);
    case "unavailable":
    case "no_effect":
      return "technical";
    case "card_not_supported":
    case "refused":
    case "unknown":
      return null;
    default: {
      const unreachable: never = answer;
      throw new Error(`unhandled answer ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * After an attempt's outcome is definite, counts it in its processor's health (issue 13 item 5),
 * fire-and-forget: the payment never waits on health, and `recordOutcome` never throws. An
 * attempt the vault routed by itself (no processor of the registry) is not counted.
 */
export function reportAttemptHealth(context: OperationContext, operationId: string, answer: CallAnswer): void {
  const intent = context.store.operation(operationId);
  const payment = context.store.payment();
  if (intent?.kind !== "authorize" || !payment) return;
  const processor = intent.processor ?? ("processor" in answer ? answer.processor : null);
  if (!isProcessorId(processor)) return;
  const result = healthResult(answer, processor);
  if (result === null) return;
  const attempt = payment.attempts?.find((candidate) => candidate.id === operationId);
  // A timeout counts as long as the edge waited for it, not as long as the inquiries took after.
  const latencyMs = Math.min(attempt?.latency_ms ?? 0, BUDGETS.edgeVaultCallMs);
  context.waitUntil(recordOutcome(context.env, processor, payment.livemode, { result, latencyMs }));
}
