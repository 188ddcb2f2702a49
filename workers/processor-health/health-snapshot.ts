import type { HealthSnapshot } from "../../durable-objects/processor-health/processor-health.types.js";
import { processorHealthName } from "../../durable-objects/processor-health/processor-health-name.js";
import { HealthSnapshotCache, type WaitUntil } from "./health-snapshot-cache.js";

/**
 * How this isolate reads processor health. A second's staleness costs at most a second of
 * attempts at a processor whose breaker just opened (each fails over), and the isolate's own
 * outcomes land at once (`recordOutcome`); reading more often would only load the objects.
 */
export const HEALTH_READS = { refreshMs: 1_000, answerMs: 2_000, maxAgeMs: 30_000 } as const;

const caches = new Map<boolean, HealthSnapshotCache>();

/** This isolate's health cache for one mode (created on first use, with the gateway's objects). */
export function healthCache(env: Env, livemode: boolean): HealthSnapshotCache {
  let cache = caches.get(livemode);
  if (!cache) {
    cache = new HealthSnapshotCache({
      ...HEALTH_READS,
      read: (processor) => env.PROCESSOR_HEALTH.getByName(processorHealthName(processor, livemode)).snapshot(),
    });
    caches.set(livemode, cache);
  }
  return cache;
}

/**
 * Every processor's health in `livemode`, synchronously, for the routing engine. Pass the
 * request's (or the object's) `waitUntil` so a refresh this read starts outlives the response.
 *
 * What a breaker state asks of the caller: `closed`, attempt without asking; `open` with
 * `retryAt` ahead, skip the processor; `open` past `retryAt` or `half_open`, ask `admitAttempt`
 * first (the one round trip, and only while a processor recovers).
 */
export function healthSnapshot(env: Env, livemode: boolean, waitUntil?: WaitUntil): HealthSnapshot {
  return healthCache(env, livemode).current(Date.now(), waitUntil);
}
