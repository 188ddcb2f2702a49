import type { HealthConfig } from "./health-config.js";
import type { WindowTotals } from "./outcome-window.js";
import type { Admission, BreakerState, OutcomeResult } from "./processor-health.types.js";

/** What survives the object's eviction: an open breaker must stay open through a restart. */
export interface BreakerRecord {
  state: BreakerState;
  openedAt?: number;
  retryAt?: number;
  /** Re-opens from half-open since the breaker last closed: each doubles the cool-down. */
  reopens: number;
}

export const CLOSED: BreakerRecord = { state: "closed", reopens: 0 };

type BreakerConfig = Pick<
  HealthConfig,
  "openTechnicalRate" | "openMinSamples" | "coolDownMs" | "maxCoolDownMs" | "halfOpenProbes" | "probeLeaseMs"
>;

/**
 * The circuit breaker (Nygard, "Release It!", ch. 5): closed, it counts technical failures in the
 * window and opens when they reach `openTechnicalRate` of at least `openMinSamples` judged
 * outcomes; open, it refuses until its cool-down ends; then half-open, it lets `halfOpenProbes`
 * attempts through at a time. Any answer that is not a technical failure (an approval, or a
 * decline, which proves the processor reached the issuer) closes it; a technical failure re-opens
 * it for twice the last cool-down, up to `maxCoolDownMs`. Declines never open it: a soft decline
 * is the score's business, a hard decline the issuer's. Pure: time comes in as `now`.
 */
export class CircuitBreaker {
  /** Expiry times of the probes admitted while half-open and not yet answered. */
  private probes: number[] = [];

  constructor(
    private readonly config: BreakerConfig,
    private record: BreakerRecord,
    /** Called with every change of state, to store it. */
    private readonly save: (record: BreakerRecord) => void,
  ) {}

  /** The breaker now: an open one whose cool-down has passed is half-open. */
  at(now: number): Readonly<BreakerRecord> {
    if (this.record.state === "open" && now >= (this.record.retryAt ?? 0)) {
      this.change({ ...this.record, state: "half_open" });
      this.probes = [];
    }
    return this.record;
  }

  admit(now: number): Admission {
    const { state, retryAt } = this.at(now);
    if (state === "closed") return { admitted: true, state };
    if (state === "open") return { admitted: false, state, retryAt };
    this.probes = this.probes.filter((expiry) => expiry > now);
    if (this.probes.length >= this.config.halfOpenProbes) {
      return { admitted: false, state, retryAt: Math.min(...this.probes) };
    }
    this.probes.push(now + this.config.probeLeaseMs);
    return { admitted: true, state };
  }

  /** Takes one outcome, with the window's totals once it is counted in them; returns the state after it. */
  observe(result: OutcomeResult, totals: WindowTotals, now: number): BreakerState {
    const { state } = this.at(now);
    if (state === "closed") {
      const failing =
        result === "technical" &&
        totals.judged >= this.config.openMinSamples &&
        totals.technical >= this.config.openTechnicalRate * totals.judged;
      if (failing) this.open(now, 0);
    } else if (state === "half_open") {
      // A late answer to an attempt sent before the breaker opened is as fresh as a probe's.
      this.probes.shift();
      if (result === "technical") this.open(now, this.record.reopens + 1);
      else this.change(CLOSED);
    }
    // Open: answers to attempts sent before it opened count in the window, not for the breaker.
    return this.record.state;
  }

  private open(now: number, reopens: number): void {
    const coolDown = Math.min(this.config.coolDownMs * 2 ** reopens, this.config.maxCoolDownMs);
    this.change({ state: "open", openedAt: now, retryAt: now + coolDown, reopens });
    this.probes = [];
  }

  private change(record: BreakerRecord): void {
    this.record = record;
    this.save(record);
  }
}
