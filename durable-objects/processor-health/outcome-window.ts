import type { HealthConfig } from "./health-config.js";
import { LatencyHistogram } from "./latency-histogram.js";
import type { HealthOutcome, OutcomeResult } from "./processor-health.types.js";

type Counts = Record<OutcomeResult, number>;

interface Bucket {
  start: number;
  counts: Counts;
  latencies: LatencyHistogram;
}

/** What the window holds now. */
export interface WindowTotals extends Counts {
  /** Outcomes that judge the processor: approvals, soft declines, technical failures. */
  judged: number;
  p50LatencyMs: number | undefined;
}

const zero = (): Counts => ({ approved: 0, soft_decline: 0, hard_decline: 0, technical: 0 });

/**
 * The outcomes of the last `windowMs`, in buckets of `bucketMs` (60 s in 5 s buckets by default).
 * A time window rather than the last N outcomes: an outage judged a minute ago ages out even if no
 * traffic follows it, every processor is judged over the same span whatever its volume, and memory
 * is a dozen small buckets at any rate. A quiet processor has few samples, which the breaker's and
 * demotion's minimum sample counts and the score's prior are there for.
 */
export class OutcomeWindow {
  private buckets: Bucket[] = [];

  constructor(private readonly config: Pick<HealthConfig, "windowMs" | "bucketMs">) {}

  add(outcome: HealthOutcome, now: number): void {
    this.expire(now);
    const start = now - (now % this.config.bucketMs);
    let bucket = this.buckets.at(-1);
    if (bucket?.start !== start) {
      bucket = { start, counts: zero(), latencies: new LatencyHistogram() };
      this.buckets.push(bucket);
    }
    bucket.counts[outcome.result] += 1;
    bucket.latencies.add(outcome.latencyMs);
  }

  totals(now: number): WindowTotals {
    this.expire(now);
    const counts = zero();
    for (const bucket of this.buckets) {
      for (const result of Object.keys(counts) as OutcomeResult[]) counts[result] += bucket.counts[result];
    }
    return {
      ...counts,
      judged: counts.approved + counts.soft_decline + counts.technical,
      p50LatencyMs: LatencyHistogram.median(this.buckets.map((bucket) => bucket.latencies)),
    };
  }

  clear(): void {
    this.buckets = [];
  }

  /** Drops buckets that started a whole window ago (a clock set back keeps nothing from the future). */
  private expire(now: number): void {
    const oldest = now - this.config.windowMs;
    this.buckets = this.buckets.filter((bucket) => bucket.start > oldest && bucket.start <= now);
  }
}
