import type { AttemptRouting } from "../../common/payment-event-message.js";
import {
  CARD_PROCESSOR_IDS,
  type CardProcessorId,
  classifyAnswer,
  PROCESSOR_IDS,
  PROCESSOR_REGISTRY,
  type ProcessorId,
} from "../../common/processor-registry.js";
import { BUDGETS } from "../../common/timeout-budgets.js";
import type { CallAnswer } from "./operations/start-operation.js";
import type { PaymentRecord } from "./payment-record.js";

/**
 * The router's decision for a payment (`workers/routing/`), as the create hands it to the object:
 * the candidates in order, why the others were left out, and how many the merchant lets it try.
 * Made once, before the first attempt, and stored: a failover walks it, never re-decides.
 */
export interface RoutingChoice extends AttemptRouting {
  max_attempts: number;
  /**
   * Candidates whose breaker was not closed when the decision was made (open past its retry
   * time, or half-open): an attempt may go to one only with a probe slot from its health object.
   */
  probes?: string[];
}

/** As the payment stores it: the choice, and the epoch ms after which no new attempt starts. */
export interface PaymentRouting extends RoutingChoice {
  deadline: number;
}

/** The create's whole deadline: one edge call budget (`BUDGETS.edgeVaultCallMs`) per attempt it may make. */
export function paymentRouting(choice: RoutingChoice, now: number): PaymentRouting {
  return { ...choice, deadline: now + BUDGETS.edgeVaultCallMs * choice.max_attempts };
}

/**
 * The routing with `processor` taken out of the running: no attempt goes to it, and why is
 * recorded beside the router's own reasons.
 */
export function withoutCandidate(routing: PaymentRouting, processor: string, reason: string): PaymentRouting {
  return {
    ...routing,
    candidates: routing.candidates.filter((candidate) => candidate !== processor),
    skipped: [...routing.skipped, { processor, reason }],
  };
}

/** What each attempt records of the decision that sent it. */
export function attemptRouting({ rule, candidates, skipped }: PaymentRouting): AttemptRouting {
  return { rule, candidates, skipped };
}

export const isProcessorId = (value: unknown): value is ProcessorId =>
  PROCESSOR_IDS.some((processor) => processor === value);

/** A processor the vault sends card data to: a card payment's attempts go only to these. */
export const isCardProcessorId = (value: unknown): value is CardProcessorId =>
  CARD_PROCESSOR_IDS.some((processor) => processor === value);

/**
 * Whether a definite failed answer from `processor` lets the payment try its next candidate
 * (Hyperswitch's gateway status map, here the registry's answer classes): a technical failure
 * (never sent, or sent and confirmed without effect) or a soft decline, and a card this
 * processor cannot take. Never a hard decline: the issuer said no, and would say it everywhere.
 * Never a request the vault refused (4xx: an unknown token is unknown everywhere).
 */
export function failsOver(answer: CallAnswer, processor: string | null): boolean {
  switch (answer.outcome) {
    case "unavailable":
    case "no_effect":
    case "card_not_supported":
      return true;
    case "declined":
      return (
        isProcessorId(processor) &&
        classifyAnswer(PROCESSOR_REGISTRY[processor], answer.network_response_code) !== "hard_decline"
      );
    case "approved":
    case "unknown":
    case "refused":
      return false;
    default: {
      const unreachable: never = answer;
      throw new Error(`unhandled answer ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * The processor the payment's next attempt goes to, or null when it may not make another: no
 * routing decision (a payment the vault routed), the merchant's limit reached, not enough time
 * left for a whole attempt before the create's deadline, or every candidate tried (never the
 * same processor twice in one payment).
 */
export function nextProcessor(payment: PaymentRecord, now: number): CardProcessorId | null {
  const routing = payment.routing;
  if (!routing) return null;
  const attempts = payment.attempts ?? [];
  if (attempts.length >= routing.max_attempts) return null;
  if (now + BUDGETS.edgeVaultCallMs > routing.deadline) return null;
  const tried = new Set(attempts.map((attempt) => attempt.processor));
  return routing.candidates.filter(isCardProcessorId).find((processor) => !tried.has(processor)) ?? null;
}
