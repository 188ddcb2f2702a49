import type { Assumed } from "./assumptions.js";
import { CONSUMERS } from "./consumers.js";
import { COUNTERS } from "./cost.js";
import { KINDS } from "./flows.js";
import { PLAN, PLATFORM } from "./limits.js";
import { checkMix, type Mix } from "./mix.js";
import { builtUtilisation, type Evaluation, RESOURCES, saturationLoad } from "./model.js";
import { blendedCost, KIND_COSTS } from "./per-payment.js";

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * The model checking its own arithmetic at one load: every failure is a sentence. Findings
 * (a plan past an account's ceiling) are not failures; a partition planned over its limit is.
 */
export function checkEvaluation(evaluation: Evaluation, mix: Mix): string[] {
  const failures: string[] = [];
  const fail = (message: string) => failures.push(`${evaluation.paymentsPerSecond}/s: ${message}`);
  const { context, usages } = evaluation;
  try {
    checkMix(mix);
  } catch (error) {
    fail(`mix: ${(error as Error).message}`);
  }
  // The per-second totals summed kind by kind equal the load times one blended payment.
  const blended = blendedCost(mix);
  for (const counter of COUNTERS) {
    if (!close(context.perSecond[counter], evaluation.paymentsPerSecond * blended[counter])) {
      fail(
        `${counter}: kinds sum to ${context.perSecond[counter]}, the blend gives ${evaluation.paymentsPerSecond * blended[counter]}`,
      );
    }
  }
  const { derived } = context;
  const { transitions, apiRequests, cardAccesses } = context.perSecond;
  if (!close(derived.chainEntries, transitions + apiRequests + cardAccesses)) {
    fail("audit chain entries are not the transitions, the request summaries and the card accesses");
  }
  if (!close(derived.queue.auditLog, apiRequests + transitions / CONSUMERS.auditLog.entriesPerPack)) {
    fail("audit-log messages are not a summary per request plus the transitions' packs");
  }
  const groups = new Map<string, number>();
  for (const usage of usages) {
    const { id, group, kind } = usage.resource;
    for (const [design, side] of [
      ["as built", usage.built],
      ["planned", usage.planned],
    ] as const) {
      if (!Number.isFinite(side.rate) || side.rate < 0) fail(`${id} ${design}: rate ${side.rate}`);
      if (!Number.isInteger(side.partitions) || side.partitions < 1)
        fail(`${id} ${design}: ${side.partitions} partitions`);
      if (!close(side.perPartition * side.partitions, side.rate))
        fail(`${id} ${design}: partitions do not add up to the rate`);
    }
    if (usage.planned.perPartition > usage.plan.value * (1 + 1e-9)) {
      fail(
        `${id}: planned ${usage.planned.perPartition} per ${usage.resource.partition}, over its plan of ${usage.plan.value}`,
      );
    }
    if (kind === "object" && usage.planned.perPartition > PLAN.objectRequestsPerSecond) {
      fail(
        `${id}: an object planned at ${usage.planned.perPartition} requests/s, over ${PLAN.objectRequestsPerSecond}`,
      );
    }
    if (kind === "queue" && usage.planned.perPartition > PLATFORM.queueMessagesPerSecond.value) {
      fail(
        `${id}: a queue planned at ${usage.planned.perPartition} messages/s, over ${PLATFORM.queueMessagesPerSecond.value}`,
      );
    }
    if (group) {
      const seen = groups.get(group);
      if (seen !== undefined && seen !== usage.planned.partitions)
        fail(`${group}: members planned with different partition counts`);
      groups.set(group, usage.planned.partitions);
    }
  }
  return failures;
}

/** Load-independent checks: every flow drains each of its transitions exactly once; saturation is where utilisation is 1. */
export function checkModel(mix: Mix, assumed: Assumed): string[] {
  const failures: string[] = [];
  for (const kind of KINDS) {
    const cost = KIND_COSTS[kind];
    if (cost.drained !== cost.transitions)
      failures.push(`${kind}: ${cost.transitions} transitions but ${cost.drained} drained`);
    for (const counter of COUNTERS) if (cost[counter] < 0) failures.push(`${kind}: ${counter} is negative`);
  }
  for (const resource of RESOURCES) {
    const load = saturationLoad(resource, mix, assumed);
    if (!Number.isFinite(load)) continue;
    const at = (x: number) => builtUtilisation(resource, x, mix, assumed);
    if (at(load) < 1 || at(load * 0.999) >= 1)
      failures.push(`${resource.id}: ${load}/s is not where it reaches its limit`);
  }
  return failures;
}
