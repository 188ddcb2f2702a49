import type { RoutingConfig } from "../../workers/routing/routing-config.js";
import type { RoutingDecision } from "../../workers/routing/routing-engine.js";
import type { RoutingContext, RoutingPayment } from "../../workers/routing/routing-payment.js";

export type Decide = (config: RoutingConfig, payment: RoutingPayment, context: RoutingContext) => RoutingDecision;

export interface Workload {
  payments: RoutingPayment[];
  contexts: RoutingContext[];
}

/** Every answer is read into this, so the JIT cannot drop a call whose result nobody uses. */
let sink = 0;

/** Calls `decide` `count` times over the workload, cycling through its payments; returns calls per second. */
function burst(decide: Decide, config: RoutingConfig, { payments, contexts }: Workload, count: number): number {
  const size = payments.length;
  let read = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const j = i % size;
    read += decide(config, payments[j]!, contexts[j]!).candidates.length;
  }
  const elapsed = performance.now() - started;
  sink += read;
  return (count / elapsed) * 1000;
}

/** How many calls take about `ms`, found by doubling (which also warms the function up). */
function calibrate(decide: Decide, config: RoutingConfig, workload: Workload, ms: number): number {
  let count = 1_000;
  for (;;) {
    const rate = burst(decide, config, workload, count);
    if ((count / rate) * 1000 >= ms / 4) return Math.max(count, Math.round((rate * ms) / 1000));
    count *= 2;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/**
 * Calls per second of `decide` and of `baseline`, in alternating rounds of about `roundMs` each
 * after `warmUpMs` of both, so a neighbour's load falls on both alike; the median round of each.
 */
export function compareRates(
  decide: Decide,
  baseline: Decide,
  config: RoutingConfig,
  workload: Workload,
  { rounds, roundMs, warmUpMs }: { rounds: number; roundMs: number; warmUpMs: number },
): { decide: number; baseline: number; spread: [number, number] } {
  for (const fn of [decide, baseline]) burst(fn, config, workload, calibrate(fn, config, workload, warmUpMs));
  const counts = [decide, baseline].map((fn) => calibrate(fn, config, workload, roundMs));
  const decideRates: number[] = [];
  const baselineRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    decideRates.push(burst(decide, config, workload, counts[0]!));
    baselineRates.push(burst(baseline, config, workload, counts[1]!));
  }
  if (sink < 0) throw new Error("unreachable: candidates lists have no negative length");
  return {
    decide: median(decideRates),
    baseline: median(baselineRates),
    spread: [Math.min(...decideRates), Math.max(...decideRates)],
  };
}
