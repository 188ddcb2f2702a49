/**
 * The stages a request's time is split into, in the order the `Server-Timing` header lists them:
 * the API key check (its Postgres lookup on a cache miss included), the rate-limit count, reading
 * and validating the body, Postgres and R2 the route awaits itself, the Durable Object call (less
 * what the object reports as vault and network time), the vault round trip, and the processor
 * calls the edge makes itself (the UPI switch, the wallet).
 */
export const STAGES = ["auth", "ratelimit", "validation", "storage", "object", "vault", "network"] as const;
export type Stage = (typeof STAGES)[number];

/** Milliseconds per stage, as an object reports its share of a call to the edge. */
export type StageSplit = Partial<Record<Stage, number>>;

interface Running {
  /** Calls of this stage in flight: their time is counted once, while any is running. */
  open: number;
  since: number;
  total: number;
}

/**
 * One request's stage clock. A stage's time is the union of its intervals, so two Postgres
 * queries run side by side count their wall time once, never twice.
 */
export class StageTimings {
  private readonly stages = new Map<Stage, Running>();

  start(stage: Stage): () => void {
    const running = this.stages.get(stage) ?? { open: 0, since: 0, total: 0 };
    this.stages.set(stage, running);
    if (running.open++ === 0) running.since = performance.now();
    return () => {
      if (--running.open === 0) running.total += performance.now() - running.since;
    };
  }

  /** Time measured elsewhere (the object's own split of its call). */
  add(stage: Stage, ms: number): void {
    const running = this.stages.get(stage) ?? { open: 0, since: 0, total: 0 };
    running.total += ms;
    this.stages.set(stage, running);
  }

  split(): StageSplit {
    return Object.fromEntries([...this.stages].map(([stage, running]) => [stage, running.total]));
  }

  /**
   * W3C Server Timing (`metric;dur=ms`, https://www.w3.org/TR/server-timing/), the stages that
   * ran in their fixed order, then the whole request as `total`; one decimal.
   */
  header(totalMs: number): string {
    const metrics = STAGES.filter((stage) => this.stages.has(stage)).map(
      (stage) => `${stage};dur=${(this.stages.get(stage) as Running).total.toFixed(1)}`,
    );
    return [...metrics, `total;dur=${totalMs.toFixed(1)}`].join(", ");
  }
}
