/**
 * `npm run bench:routing` (issue 13): what routing costs.
 *
 * 1. Decisions per second of the routing engine alone (`decide`, pure, in this process) with 0,
 *    10 and 50 rules over varied payments, against an empty function of the same call shape in
 *    the same run (alternating rounds, medians), printed as a ratio with the rules count.
 * 2. The latency a failover adds to a payment: payments through the whole stack (Worker bundle
 *    in Miniflare, vault, both acquirer simulators over TCP, Postgres) that succeed on acquirer A
 *    at once, against payments failing over to acquirer B while A refuses connections; medians,
 *    p95s and their ratio. Every payment's answer is checked; any other ends the run non-zero.
 *
 * `BENCH_ROUNDS` sets the payments of each kind (default 40).
 */

import { startStack, tokenizeCard } from "../test/support/running-stack.js";
import { decide, type RoutingDecision } from "../workers/routing/routing-engine.js";
import { benchMerchant } from "./lib/bench-merchant.js";
import { compareRates, type Decide } from "./lib/decision-rate.js";
import { failoverLatencies } from "./lib/failover-latency.js";
import { percentile } from "./lib/percentile.js";
import { ruleSet, variedPayments } from "./lib/routing-workload.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
/** Alternating rounds per rule set: a neighbour's load on 2 cores makes single rounds swing threefold. */
const ROUNDS_ENGINE = 15;

const NO_DECISION: RoutingDecision = { rule: "default", candidates: [], skipped: [], explanation: "" };
/** The baseline: a call of `decide`'s shape that does nothing. */
const empty: Decide = (_config, _payment, _context) => NO_DECISION;

const workload = variedPayments(4_096);
const payments = workload.map(({ payment }) => payment);
const contexts = workload.map(({ context }) => context);

const engineRows: string[] = [];
for (const rules of [0, 10, 50]) {
  const config = ruleSet(rules);
  const byRule = workload.filter(({ payment, context }) => decide(config, payment, context).rule !== "default");
  const rates = compareRates(
    decide,
    empty,
    config,
    { payments, contexts },
    { rounds: ROUNDS_ENGINE, roundMs: 150, warmUpMs: 1_000 },
  );
  engineRows.push(
    `${String(rules).padStart(5)} ${Math.round(rates.decide).toLocaleString("en").padStart(12)} ` +
      `${Math.round(rates.baseline).toLocaleString("en").padStart(14)} ${(rates.decide / rates.baseline).toPrecision(3).padStart(9)} ` +
      `${`${Math.round(rates.spread[0]).toLocaleString("en")}-${Math.round(rates.spread[1]).toLocaleString("en")}`.padStart(19)} ` +
      `${((byRule.length / workload.length) * 100).toFixed(0).padStart(6)} %`,
  );
}
process.stdout.write(
  `\nrouting engine alone (decide), ${workload.length} varied payments, ${ROUNDS_ENGINE} alternating rounds, medians\n` +
    `rules  decisions/s  empty calls/s     ratio  decisions/s rounds  by a rule\n${engineRows.join("\n")}\n`,
);

const stack = await startStack({ EDGE_RUNTIME: "miniflare" });
try {
  const dev = await benchMerchant(stack.dev);
  const token = await tokenizeCard(dev, "4242424242424242");
  await failoverLatencies(dev, token, 3); // warm-up: the objects, the links, the JIT
  const { firstAttempt, failover, refusedAttempt } = await failoverLatencies(dev, token, ROUNDS);
  const row = (name: string, latencies: number[]) =>
    `${name.padEnd(36)} ${String(latencies.length).padStart(4)} ${percentile(latencies, 50).toFixed(1).padStart(8)} ${percentile(latencies, 95).toFixed(1).padStart(8)}`;
  const ratio = (p: number) => (percentile(failover, p) / percentile(firstAttempt, p)).toFixed(2);
  process.stdout.write(
    `\npayment latency through the whole stack, manual capture, one at a time\n` +
      `${"payment".padEnd(36)} ${"n".padStart(4)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)}\n` +
      `${row("first-attempt success on acquirer_a", firstAttempt)}\n` +
      `${row("failover: acquirer_a refused, then b", failover)}\n` +
      `failover / first attempt: p50 ${ratio(50)}, p95 ${ratio(95)}; ` +
      `added p50 ${(percentile(failover, 50) - percentile(firstAttempt, 50)).toFixed(1)} ms, ` +
      `of which acquirer_a's refused attempt (its recorded latency_ms) p50 ${percentile(refusedAttempt, 50).toFixed(0)} ms\n`,
  );
} finally {
  await stack.stop();
}
