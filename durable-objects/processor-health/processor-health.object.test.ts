import { env, runInDurableObject } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ProcessorId } from "../../common/processor-registry.js";
import type { ProcessorHealthObject } from "./processor-health.object.js";
import type { OutcomeResult } from "./processor-health.types.js";
import { processorHealthName } from "./processor-health-name.js";

// The clock: Date is faked in this isolate, where the objects run too (the pool's main worker),
// so cool-downs and the window are crossed by setting the time, never by sleeping.
const T0 = Date.UTC(2026, 4, 1, 12, 0, 0); // on a 5 s bucket boundary
let now = T0;
const at = (ms: number) => {
  now = T0 + ms;
  vi.setSystemTime(now);
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  at(0);
});
afterEach(() => {
  vi.useRealTimers();
});

/** An object of its own for each test (the `/label` form): the gateway's own objects are untouched. */
const healthOf = (processor: ProcessorId = "acquirer_a") =>
  env.PROCESSOR_HEALTH.getByName(`${processorHealthName(processor, false)}/${crypto.randomUUID()}`);

type Health = ReturnType<typeof healthOf>;

async function record(health: Health, result: OutcomeResult, times = 1, latencyMs = 120) {
  for (let i = 0; i < times; i++) await health.record({ result, latencyMs });
}

/** Opens the breaker with the defaults (technical failures, 10 samples at least). */
async function open(health: Health) {
  await record(health, "technical", 10);
  expect((await health.snapshot()).state).toBe("open");
}

describe("the processor health object's circuit breaker, in workerd", () => {
  it("opens when technical failures reach the rate over the minimum samples, and refuses while open", async () => {
    const health = healthOf();
    await record(health, "technical", 9);
    expect((await health.snapshot()).state).toBe("closed"); // 9 samples: too few to judge
    expect(await health.admit()).toEqual({ admitted: true, state: "closed" });

    await record(health, "technical");
    const opened = await health.snapshot();
    expect(opened).toMatchObject({ state: "open", openedAt: T0, retryAt: T0 + 10_000, technicalRate: 1 });

    at(9_999);
    expect(await health.admit()).toEqual({ admitted: false, state: "open", retryAt: T0 + 10_000 });
  });

  it("opens at the configured rate and minimum, not below them", async () => {
    const health = healthOf();
    await health.configure({ openTechnicalRate: 0.3, openMinSamples: 4 });
    await record(health, "approved", 3);
    await record(health, "technical"); // 1 in 4 = 25 %
    expect((await health.snapshot()).state).toBe("closed");
    await record(health, "technical"); // 2 in 5 = 40 %
    expect((await health.snapshot()).state).toBe("open");
  });

  it("never opens on declines: hard declines are the issuer's, soft ones lower only the score", async () => {
    const health = healthOf();
    await record(health, "hard_decline", 20);
    await record(health, "approved", 6);
    await record(health, "technical", 4); // 4 in 10 judged: below half
    expect(await health.snapshot()).toMatchObject({ state: "closed", samples: 10, technicalRate: 0.4 });

    await record(health, "soft_decline", 30);
    const snapshot = await health.snapshot();
    expect(snapshot).toMatchObject({ state: "closed", samples: 40, authorizationRate: 0.15 });
    expect(snapshot.score).toBeLessThan(0.35);
    expect(await health.admit()).toMatchObject({ admitted: true });
  });

  it("half-opens after the cool-down, lets one probe through, and closes on its success", async () => {
    const health = healthOf();
    await open(health);

    at(10_000);
    expect(await health.snapshot()).toMatchObject({ state: "half_open", openedAt: T0, retryAt: T0 + 10_000 });
    expect(await health.admit()).toEqual({ admitted: true, state: "half_open" });
    // One probe at a time (the default): the next waits for its answer, or for its lease to end.
    expect(await health.admit()).toEqual({ admitted: false, state: "half_open", retryAt: now + 30_000 });

    await record(health, "approved");
    const closed = await health.snapshot();
    expect(closed.state).toBe("closed");
    expect(closed.samples).toBe(1); // a fresh window: the outage's failures would re-open it at once
    expect(await health.admit()).toEqual({ admitted: true, state: "closed" });
  });

  it("closes on a probe's decline: the processor answered, the issuer said no", async () => {
    const health = healthOf();
    await open(health);
    at(10_000);
    await health.admit();
    await record(health, "hard_decline");
    expect((await health.snapshot()).state).toBe("closed");
  });

  it("re-opens on a probe's technical failure for twice the cool-down, capped, and starts over once closed", async () => {
    const health = healthOf();
    await health.configure({ coolDownMs: 1_000, maxCoolDownMs: 3_000 });
    await open(health);
    expect((await health.snapshot()).retryAt).toBe(T0 + 1_000);

    at(1_000);
    expect(await health.admit()).toMatchObject({ admitted: true });
    await record(health, "technical");
    expect(await health.snapshot()).toMatchObject({ state: "open", openedAt: T0 + 1_000, retryAt: T0 + 3_000 });
    expect(await health.admit()).toMatchObject({ admitted: false });

    at(3_000);
    await health.admit();
    await record(health, "technical");
    expect((await health.snapshot()).retryAt).toBe(T0 + 6_000); // 4 s, capped at 3 s

    at(6_000);
    await health.admit();
    await record(health, "approved");
    expect((await health.snapshot()).state).toBe("closed");

    await open(health);
    expect((await health.snapshot()).retryAt).toBe(now + 1_000); // the base cool-down again
  });

  it("frees a probe's slot when its answer never comes", async () => {
    const health = healthOf();
    await health.configure({ probeLeaseMs: 5_000 });
    await open(health);
    at(10_000);
    expect(await health.admit()).toMatchObject({ admitted: true });
    at(14_999);
    expect(await health.admit()).toMatchObject({ admitted: false, retryAt: T0 + 15_000 });
    at(15_000);
    expect(await health.admit()).toMatchObject({ admitted: true });
  });

  it("keeps an open breaker through a restart of the object, and forgets only the window", async () => {
    const name = `${processorHealthName("acquirer_b", true)}/${crypto.randomUUID()}`;
    await open(env.PROCESSOR_HEALTH.getByName(name));
    const restarted = runInDurableObject(env.PROCESSOR_HEALTH.getByName(name), (_instance, state) => state.abort());
    await expect(restarted).rejects.toThrow();

    const after = await env.PROCESSOR_HEALTH.getByName(name).snapshot();
    expect(after).toMatchObject({ state: "open", openedAt: T0, retryAt: T0 + 10_000, samples: 0 });
  });
});

describe("the processor health object's score and demotion", () => {
  it("starts a new processor at the prior, and moves it towards what it sees", async () => {
    const health = healthOf("aggregator");
    const fresh = await health.snapshot();
    expect(fresh).toEqual({
      processor: "aggregator",
      state: "closed",
      score: 0.9,
      authorizationRate: null,
      technicalRate: null,
      samples: 0,
      demoted: false,
      observedAt: T0,
    });

    const one = await health.record({ result: "approved", latencyMs: 100 });
    expect(one.score).toBeCloseTo(10 / 11); // (1 + 0.9 x 10) / (1 + 10): not 1 on one approval
    expect(one.authorizationRate).toBe(1);
  });

  it("demotes a processor whose authorization rate falls below the floor over enough samples", async () => {
    const health = healthOf();
    await record(health, "approved", 13);
    await record(health, "soft_decline", 6);
    const nineteen = await health.snapshot();
    expect(nineteen.samples).toBe(19);
    expect(nineteen.demoted).toBe(false); // 68 % but too few samples

    await record(health, "soft_decline"); // 13 of 20: 65 % < 70 %
    const twenty = await health.snapshot();
    expect(twenty).toMatchObject({ samples: 20, authorizationRate: 0.65, demoted: true, state: "closed" });
    expect(twenty.score).toBeCloseTo((13 + 9) / 30);
  });

  it("does not demote for hard declines", async () => {
    const health = healthOf();
    await record(health, "approved", 20);
    await record(health, "hard_decline", 40);
    expect(await health.snapshot()).toMatchObject({ samples: 20, authorizationRate: 1, demoted: false });
  });

  it("lets outcomes age out of the 60 s window, a 5 s bucket at a time", async () => {
    const health = healthOf();
    await record(health, "soft_decline", 20);
    at(5_000);
    await record(health, "approved", 2);
    at(59_999);
    expect(await health.snapshot()).toMatchObject({ samples: 22, demoted: true });
    at(60_000);
    expect(await health.snapshot()).toMatchObject({ samples: 2, authorizationRate: 1, demoted: false });
    at(65_000);
    expect(await health.snapshot()).toMatchObject({ samples: 0, score: 0.9 });
  });

  it("reports the window's median latency", async () => {
    const health = healthOf();
    for (const latencyMs of [80, 150, 200, 260, 4_000]) await health.record({ result: "approved", latencyMs });
    const { p50LatencyMs } = await health.snapshot();
    expect(p50LatencyMs).toBeGreaterThanOrEqual(200 * 0.91);
    expect(p50LatencyMs).toBeLessThanOrEqual(200 * 1.1);
  });

  // Called on the instance: the pool reports an error thrown through its RPC wrapper as unhandled.
  it("refuses an outcome that is not one, and a configuration that makes no sense", async () => {
    const health = healthOf();
    await runInDurableObject(health, async (instance: ProcessorHealthObject) => {
      await expect(instance.record({ result: "maybe" as OutcomeResult, latencyMs: 1 })).rejects.toThrow(/an outcome/);
      await expect(instance.record({ result: "approved", latencyMs: -1 })).rejects.toThrow(/an outcome/);
      await expect(instance.configure({ openTechnicalRate: 1.5 })).rejects.toThrow(/openTechnicalRate/);
      await expect(instance.configure({ windowMs: 7_000 })).rejects.toThrow(/multiple of bucketMs/);
    });
    expect((await health.snapshot()).samples).toBe(0);
    expect((await health.configure({})).openTechnicalRate).toBe(0.5);
  });
});
