import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ProcessorId } from "../../common/processor-registry.js";
import type { ProcessorHealthSnapshot } from "../../durable-objects/processor-health/processor-health.types.js";
import { processorHealthName } from "../../durable-objects/processor-health/processor-health-name.js";
import { admitAttempt, recordOutcome } from "./health-recorder.js";
import { healthSnapshot } from "./health-snapshot.js";
import { HealthSnapshotCache, unknownHealth } from "./health-snapshot-cache.js";

/** A cache over real health objects of its own (the `/label` form), and the refreshes it hands to waitUntil. */
function cacheOverObjects() {
  const label = crypto.randomUUID();
  const objectOf = (processor: ProcessorId) =>
    env.PROCESSOR_HEALTH.getByName(`${processorHealthName(processor, false)}/${label}`);
  const refreshes: Promise<unknown>[] = [];
  const cache = new HealthSnapshotCache({
    read: (processor) => objectOf(processor).snapshot(),
    refreshMs: 1_000,
    answerMs: 5_000,
    maxAgeMs: 30_000,
  });
  const read = (now: number) => cache.current(now, (refresh) => refreshes.push(refresh));
  return { cache, objectOf, refreshes, read };
}

const T0 = 1_000_000;

describe("the processor health snapshot an isolate routes by", () => {
  it("is healthy and unscored before the first refresh lands, then the objects' own", async () => {
    const { objectOf, refreshes, read } = cacheOverObjects();
    for (let i = 0; i < 4; i++) await objectOf("acquirer_b").record({ result: "soft_decline", latencyMs: 90 });

    const first = read(T0);
    expect(first.acquirer_b).toEqual(unknownHealth("acquirer_b"));
    expect(first.acquirer_b).toMatchObject({ state: "closed", score: 0.9, samples: 0, demoted: false });
    expect(refreshes).toHaveLength(1);

    await refreshes[0];
    const second = read(T0 + 1);
    expect(second.acquirer_b).toMatchObject({ processor: "acquirer_b", samples: 4, authorizationRate: 0 });
    expect(second.acquirer_a).toMatchObject({ processor: "acquirer_a", samples: 0 });
    expect(second.acquirer_a.observedAt).toBeTypeOf("number");
  });

  it("serves the cached health without waiting, and refreshes at most once per interval", async () => {
    const { objectOf, refreshes, read } = cacheOverObjects();
    read(T0);
    await refreshes[0];
    for (let i = 0; i < 10; i++) await objectOf("acquirer_a").record({ result: "technical", latencyMs: 2_000 });

    expect(read(T0 + 999).acquirer_a.state).toBe("closed"); // within the interval: no refresh
    expect(refreshes).toHaveLength(1);

    const during = read(T0 + 1_000); // due: one refresh starts, the stale health is served meanwhile
    expect(during.acquirer_a.state).toBe("closed");
    expect(refreshes).toHaveLength(2);
    expect(read(T0 + 5_000).acquirer_a.state).toBe("closed"); // still in flight: no second refresh
    expect(refreshes).toHaveLength(2);

    await refreshes[1];
    expect(read(T0 + 5_001).acquirer_a).toMatchObject({ state: "open", technicalRate: 1 });
  });

  it("keeps the last health heard while the objects do not answer, and forgets it after its maximum age", async () => {
    const { objectOf } = cacheOverObjects();
    // An outage: every read hangs, and a refresh gives up after answerMs.
    const cache = new HealthSnapshotCache({
      read: () => new Promise<ProcessorHealthSnapshot>(() => {}),
      refreshMs: 1_000,
      answerMs: 20,
      maxAgeMs: 10_000,
    });
    const heard = await objectOf("aggregator").record({ result: "approved", latencyMs: 300 });
    cache.update(heard);
    const observedAt = heard.observedAt!;

    const refreshes: Promise<unknown>[] = [];
    expect(cache.current(observedAt, (refresh) => refreshes.push(refresh)).aggregator).toEqual(heard);
    await refreshes[0];
    expect(cache.current(observedAt + 999).aggregator).toEqual(heard);

    expect(cache.current(observedAt + 10_001).aggregator).toEqual(unknownHealth("aggregator"));
  });

  it("takes the health a recorded outcome leaves without waiting for a refresh, and never throws", async () => {
    healthSnapshot(env, true); // this isolate's first read: its refresh starts now and is not awaited
    await recordOutcome(env, "acquirer_b", true, { result: "approved", latencyMs: 150 });
    await recordOutcome(env, "acquirer_b", true, { result: "soft_decline", latencyMs: 150 });
    const direct = await env.PROCESSOR_HEALTH.getByName(processorHealthName("acquirer_b", true)).snapshot();
    expect(healthSnapshot(env, true).acquirer_b.samples).toBe(direct.samples);
    expect(direct.samples).toBeGreaterThanOrEqual(2);

    const broken = {
      PROCESSOR_HEALTH: {
        getByName: () => {
          throw new Error("health objects unreachable");
        },
      },
    } as unknown as Env;
    await expect(recordOutcome(broken, "acquirer_b", true, { result: "technical", latencyMs: 1 })).resolves.toBe(
      undefined,
    );
    await expect(admitAttempt(broken, "acquirer_b", true)).resolves.toEqual({ admitted: true, state: "closed" });
  });

  it("keeps an outcome just recorded when a refresh read a moment before lands in the same millisecond", () => {
    const cache = new HealthSnapshotCache({
      read: async (processor) => unknownHealth(processor),
      refreshMs: 1_000,
      answerMs: 5_000,
      maxAgeMs: 30_000,
    });
    const at = (samples: number, observedAt: number): ProcessorHealthSnapshot => ({
      ...unknownHealth("acquirer_b"),
      samples,
      observedAt,
    });
    cache.update(at(2, T0)); // the answer recording this isolate's second outcome
    cache.update(at(1, T0)); // the refresh read before it, same millisecond: stale
    expect(cache.current(T0).acquirer_b.samples).toBe(2);
    cache.update(at(1, T0 + 1)); // a later read wins even with fewer samples (the window slid)
    expect(cache.current(T0 + 1).acquirer_b.samples).toBe(1);
  });

  it("admits an attempt when the health object gives no answer in time: health never holds a payment", async () => {
    const silent = {
      PROCESSOR_HEALTH: { getByName: () => ({ admit: () => new Promise<never>(() => {}) }) },
    } as unknown as Env;
    const started = Date.now();
    expect(await admitAttempt(silent, "acquirer_a", false)).toEqual({ admitted: true, state: "closed" });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
