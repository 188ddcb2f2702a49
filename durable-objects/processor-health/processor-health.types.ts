import type { AnswerClass, ProcessorId } from "../../common/processor-registry.js";

/** What one attempt at a processor came to: approved, or the registry's class of its answer. */
export type OutcomeResult = "approved" | AnswerClass;

/**
 * One attempt's outcome, as the orchestrator records it once the outcome is definite. A timeout
 * after sending is `technical` (the processor did not answer in its time), whatever the inquiry
 * that resolves the payment later finds.
 */
export interface HealthOutcome {
  result: OutcomeResult;
  /** From sending the request to its answer, or to giving up on it. */
  latencyMs: number;
}

/**
 * The circuit breaker's position: `closed` takes traffic, `open` refuses it until `retryAt`,
 * `half_open` lets a few probe attempts through to learn whether the processor is back.
 */
export type BreakerState = "closed" | "open" | "half_open";

/** One processor's health in one mode, as its object last saw it. Times are epoch ms. */
export interface ProcessorHealthSnapshot {
  processor: ProcessorId;
  state: BreakerState;
  /**
   * Expected authorization rate in [0, 1]: approvals over judged outcomes in the window, smoothed
   * by a prior worth a few samples (`HealthConfig.priorRate`, `priorWeight`), so a processor with
   * no samples scores the prior, never 0 or 1. Rank by it.
   */
  score: number;
  /** Approvals over judged outcomes in the window, unsmoothed; null with no samples. */
  authorizationRate: number | null;
  /** Technical failures over judged outcomes in the window; null with no samples. */
  technicalRate: number | null;
  /** Judged outcomes in the window: approvals, soft declines, technical failures (hard declines are the issuer's, not counted). */
  samples: number;
  /** Median latency over the window's outcomes (within about 9 %), when there are any. */
  p50LatencyMs?: number;
  /** Its authorization rate is below the configured floor over enough samples: route elsewhere first. */
  demoted: boolean;
  /** When the breaker last opened (open and half-open only). */
  openedAt?: number;
  /** Open: when it half-opens. Half-open: when it did. */
  retryAt?: number;
  /** When the object computed this; absent from the default a reader serves before its first answer. */
  observedAt?: number;
}

/** Every processor's health in one mode: what the routing engine takes as input. */
export type HealthSnapshot = Readonly<Record<ProcessorId, ProcessorHealthSnapshot>>;

/** Whether an attempt may go to the processor now; `retryAt` says when to ask again if not. */
export interface Admission {
  admitted: boolean;
  state: BreakerState;
  /** Set when refused: when the breaker half-opens, or when a probe slot frees. */
  retryAt?: number;
}
