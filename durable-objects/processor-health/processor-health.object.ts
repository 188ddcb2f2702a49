import { DurableObject } from "cloudflare:workers";
import type { ProcessorId } from "../../common/processor-registry.js";
import { type BreakerRecord, CircuitBreaker, CLOSED } from "./circuit-breaker.js";
import { type HealthConfig, healthConfig } from "./health-config.js";
import { scoreWindow } from "./health-score.js";
import { OutcomeWindow } from "./outcome-window.js";
import type { Admission, HealthOutcome, OutcomeResult, ProcessorHealthSnapshot } from "./processor-health.types.js";
import { parseProcessorHealthName } from "./processor-health-name.js";

/**
 * The overrides `configure` stored, over today's defaults; if a change of defaults has made them
 * inconsistent, the defaults alone (a health object that throws on every call would be worse).
 */
function storedConfig(overrides: Partial<HealthConfig> | undefined): HealthConfig {
  try {
    return healthConfig(overrides);
  } catch {
    return healthConfig();
  }
}

const RESULTS: ReadonlySet<OutcomeResult> = new Set(["approved", "soft_decline", "hard_decline", "technical"]);

/**
 * One processor's health in one mode (named by `processorHealthName`): a sliding window of
 * attempt outcomes, the circuit breaker they drive, and the score routing ranks by. Every gateway
 * isolate records into the same object, so the breaker sees the processor's whole traffic, one
 * outcome at a time. The window lives in memory (an eviction forgets a minute of samples, which
 * the score's prior covers); the breaker and the configuration are stored, so a restart never
 * sends full traffic to a processor known to be down.
 */
export class ProcessorHealthObject extends DurableObject<Env> {
  private readonly processor: ProcessorId;
  private config: HealthConfig;
  private window: OutcomeWindow;
  private breaker: CircuitBreaker;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const identity = parseProcessorHealthName(ctx.id.name);
    if (!identity) throw new Error("a processor health object is reached by processorHealthName(processor, livemode)");
    this.processor = identity.processor;
    this.config = storedConfig(ctx.storage.kv.get<Partial<HealthConfig>>("config"));
    this.window = new OutcomeWindow(this.config);
    this.breaker = this.newBreaker(ctx.storage.kv.get<BreakerRecord>("breaker") ?? CLOSED);
  }

  /** Counts one attempt's definite outcome; answers with the health it leaves. */
  async record(outcome: HealthOutcome): Promise<ProcessorHealthSnapshot> {
    if (!RESULTS.has(outcome?.result) || !Number.isFinite(outcome.latencyMs) || outcome.latencyMs < 0) {
      throw new TypeError(
        "an outcome is { result: approved | soft_decline | hard_decline | technical, latencyMs >= 0 }",
      );
    }
    const now = Date.now();
    const before = this.breaker.at(now).state;
    this.window.add(outcome, now);
    const after = this.breaker.observe(outcome.result, this.window.totals(now), now);
    if (before !== "closed" && after === "closed") {
      // Closing starts a fresh window (as resilience4j does): the failures that opened the breaker
      // are the outage just ended, and counted again they would re-open it on the next outcome.
      this.window.clear();
      this.window.add(outcome, now);
    }
    return this.health(now);
  }

  async snapshot(): Promise<ProcessorHealthSnapshot> {
    return this.health(Date.now());
  }

  /** Whether an attempt may go now. Closed: always, without counting; half-open: as a probe, if a slot is free. */
  async admit(): Promise<Admission> {
    return this.breaker.admit(Date.now());
  }

  /**
   * Replaces this object's overrides of the defaults (`{}` restores them) and answers with the
   * configuration in force. For tuning one processor without a deploy: a quiet one judged on fewer
   * samples, a drill with a short cool-down. A new window size starts an empty window.
   */
  async configure(overrides: Partial<HealthConfig>): Promise<HealthConfig> {
    const config = healthConfig(overrides);
    this.ctx.storage.kv.put("config", overrides);
    if (config.windowMs !== this.config.windowMs || config.bucketMs !== this.config.bucketMs) {
      this.window = new OutcomeWindow(config);
    }
    this.config = config;
    this.breaker = this.newBreaker(this.breaker.at(Date.now()));
    return config;
  }

  private newBreaker(record: BreakerRecord): CircuitBreaker {
    return new CircuitBreaker(this.config, record, (next) => this.ctx.storage.kv.put("breaker", next));
  }

  private health(now: number): ProcessorHealthSnapshot {
    const { state, openedAt, retryAt } = this.breaker.at(now);
    const totals = this.window.totals(now);
    return {
      processor: this.processor,
      state,
      ...scoreWindow(totals, this.config),
      ...(totals.p50LatencyMs === undefined ? {} : { p50LatencyMs: totals.p50LatencyMs }),
      ...(state === "closed" ? {} : { openedAt, retryAt }),
      observedAt: now,
    };
  }
}
