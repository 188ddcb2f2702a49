import { AsyncLocalStorage } from "node:async_hooks";
import { type Stage, type StageSplit, StageTimings } from "./stage-timings.js";

interface Scope {
  timings: StageTimings;
  /** The stage running here: a stage inside it (the key lookup's Postgres inside auth) is its time. */
  stage?: Stage;
}

/**
 * The request's clock, found wherever a stage runs (the vault client, a connector, a query)
 * without threading it through every call. Each request, and each call into a Durable Object,
 * has its own: the context never crosses an RPC call (checked in workerd), so the object runs
 * its own clock and reports its split in its reply (`timedReply`).
 */
const scope = new AsyncLocalStorage<Scope>();

/** Runs `run` with `timings` as the clock of everything it awaits. */
export function withTimings<T>(timings: StageTimings, run: () => Promise<T>): Promise<T> {
  return scope.run({ timings }, run);
}

/**
 * Runs `run` as `stage` of the current request's clock; just runs it when there is no clock
 * (timing off, or work outside a request such as an alarm or a queue batch) or when it runs
 * inside another stage, which its time then belongs to.
 */
export async function timedStage<T>(stage: Stage, run: () => Promise<T>): Promise<T> {
  const current = scope.getStore();
  if (!current || current.stage) return run();
  const stop = current.timings.start(stage);
  try {
    return await scope.run({ timings: current.timings, stage }, run);
  } finally {
    stop();
  }
}

/**
 * A Durable Object call as the `object` stage, less what the object says it spent on the vault
 * and the network (`timing` in its reply, see `timedReply`): those are stages of their own, so
 * the stages add up to the call's time and none is counted twice.
 */
export async function timedObjectCall<T>(run: () => PromiseLike<T>): Promise<T> {
  const current = scope.getStore();
  if (!current || current.stage) return run();
  const started = performance.now();
  let split: StageSplit = {};
  try {
    const answer = await scope.run({ timings: current.timings, stage: "object" }, run);
    split = (answer as { timing?: StageSplit } | null)?.timing ?? {};
    return answer;
  } finally {
    let inside = 0;
    for (const stage of ["vault", "network"] as const) {
      const ms = split[stage];
      if (ms === undefined) continue;
      current.timings.add(stage, ms);
      inside += ms;
    }
    // The object's clock and ours are different machines' in production: never below zero.
    current.timings.add("object", Math.max(0, performance.now() - started - inside));
  }
}

/**
 * The object's side of `timedObjectCall`: runs one of its RPC methods on a clock of its own
 * and returns its reply with the split (`timing`) attached, when `on` (the SERVER_TIMING var).
 */
export async function timedReply<T extends object>(on: boolean, run: () => Promise<T>): Promise<T> {
  if (!on) return run();
  const timings = new StageTimings();
  const reply = await scope.run({ timings }, run);
  return { ...reply, timing: timings.split() };
}
