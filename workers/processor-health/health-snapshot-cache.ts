import { answerWithin } from "../../common/answer-within.js";
import { PROCESSOR_IDS, type ProcessorId } from "../../common/processor-registry.js";
import { DEFAULT_HEALTH_CONFIG } from "../../durable-objects/processor-health/health-config.js";
import type {
  HealthSnapshot,
  ProcessorHealthSnapshot,
} from "../../durable-objects/processor-health/processor-health.types.js";
import { describeError } from "../logging/logger.js";
import { throttledWarning } from "./throttled-warning.js";

export type WaitUntil = (promise: Promise<unknown>) => void;

export interface HealthCacheOptions {
  /** One processor's health from its object. */
  read: (processor: ProcessorId) => Promise<ProcessorHealthSnapshot>;
  /** A refresh starts at most this often, and only when someone reads. */
  refreshMs: number;
  /** A refresh waits this long for the objects, then keeps what it had. */
  answerMs: number;
  /** A processor's health older than this is served as unknown (the objects may be unreachable for long). */
  maxAgeMs: number;
}

/** What a reader assumes of a processor it has no answer for: healthy, scored at the prior, no samples. */
export function unknownHealth(processor: ProcessorId): ProcessorHealthSnapshot {
  const prior = DEFAULT_HEALTH_CONFIG.priorRate;
  return {
    processor,
    state: "closed",
    score: prior,
    authorizationRate: null,
    technicalRate: null,
    samples: 0,
    demoted: false,
  };
}

const allUnknown = (): HealthSnapshot =>
  Object.fromEntries(PROCESSOR_IDS.map((processor) => [processor, unknownHealth(processor)])) as HealthSnapshot;

/**
 * The later of two answers. Their clocks step in whole milliseconds (workerd's advances only on
 * I/O), so a refresh read just before this isolate's own outcome can carry the same `observedAt`
 * as the answer recording it: within one millisecond the window only grows, so the one that has
 * seen more outcomes is the later (a stale refresh must not undo an outcome just recorded).
 */
const newer = (current: ProcessorHealthSnapshot, next: ProcessorHealthSnapshot) => {
  const [was, is] = [current.observedAt ?? 0, next.observedAt ?? 0];
  return is > was || (is === was && next.samples >= current.samples) ? next : current;
};

const warnUnreadable = throttledWarning("processor health unreadable; routing on the last health heard");

/**
 * Every processor's health for one mode, as this isolate last heard it: the hot path reads it
 * synchronously and never waits on an object. A read after `refreshMs` starts one background
 * refresh (handed to `waitUntil`, so it finishes after the response) and is answered from the
 * cache meanwhile: stale by at most about `refreshMs` plus an object's answer time. Until the
 * first refresh lands every processor is `unknownHealth`: an unreachable health object slows
 * nothing and excludes no processor.
 */
export class HealthSnapshotCache {
  private snapshots = allUnknown();
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly options: HealthCacheOptions) {}

  current(now = Date.now(), waitUntil?: WaitUntil): HealthSnapshot {
    if (!this.refreshing && now - this.refreshedAt >= this.options.refreshMs) {
      this.refreshedAt = now;
      this.refreshing = this.refresh(now).finally(() => {
        this.refreshing = null;
      });
      waitUntil?.(this.refreshing);
    }
    const tooOld = (snapshot: ProcessorHealthSnapshot) =>
      snapshot.observedAt !== undefined && now - snapshot.observedAt > this.options.maxAgeMs;
    if (!Object.values(this.snapshots).some(tooOld)) return this.snapshots;
    this.snapshots = Object.fromEntries(
      Object.values(this.snapshots).map((snapshot) => [
        snapshot.processor,
        tooOld(snapshot) ? unknownHealth(snapshot.processor) : snapshot,
      ]),
    ) as HealthSnapshot;
    return this.snapshots;
  }

  /** Takes a fresher answer than the cache has (the one `record` returns), without waiting for a refresh. */
  update(snapshot: ProcessorHealthSnapshot): void {
    const current = this.snapshots[snapshot.processor];
    if (newer(current, snapshot) === snapshot) this.snapshots = { ...this.snapshots, [snapshot.processor]: snapshot };
  }

  /** Never rejects: a processor whose object does not answer keeps its last health. */
  private async refresh(now: number): Promise<void> {
    const answers = await Promise.allSettled(
      PROCESSOR_IDS.map((processor) =>
        answerWithin(this.options.read(processor), this.options.answerMs, `health of ${processor}`),
      ),
    );
    const failures: unknown[] = [];
    answers.forEach((answer) => {
      if (answer.status === "fulfilled") this.update(answer.value);
      else failures.push(answer.reason);
    });
    if (failures.length > 0) warnUnreadable({ unanswered: failures.length, ...describeError(failures[0]) }, now);
  }
}
