/**
 * `npm run bench:payments` (issue 17): card payments through the whole local stack (the edge
 * Worker's deploy bundle in Miniflare, vault, acquirer simulator over TCP, Postgres, all on this
 * machine's cores) against the platform's floor, in the same run and runtime:
 *
 * - baseline (a), `POST /bench/object`: a new SQLite-backed object, one row and one outbox row
 *   in one transaction, its alarm armed: what any payment must cost here;
 * - baseline (b), `POST /bench/object-vault`: the same plus one fetch of the vault's no-op route;
 * - create-payment, automatic capture (one request: authorize and capture at the acquirer);
 * - create + capture flows (manual capture, two requests), as issue 4 measured them.
 *
 * At `BENCH_CONCURRENCY` connections (default 8) and at 1; then where the create's time goes
 * (its answers' Server-Timing stages) at both, and issue 17's goals, met or NOT met. Payments
 * are a bench merchant's whose limits cannot bind (lib/bench-merchant.ts), and every run counts
 * only the answers it measures: any other status ends the benchmark non-zero (lib/load.ts).
 *
 * The Worker runs in Miniflare directly, not under `wrangler dev`, whose proxy adds about 4 ms to
 * every request (scripts/edge-miniflare.ts). `BENCH_SECONDS` (default 10) sets each run's length.
 */
import { availableParallelism } from "node:os";
import { apiCall, startStack, tokenizeCard } from "../test/support/running-stack.js";
import { benchMerchant } from "./lib/bench-merchant.js";
import { type LoadJob, type LoadResult, runLoad } from "./lib/load.js";
import { cpuPerAnswer, STACK_PARTS, type StackPart, stackCpu } from "./lib/process-cpu.js";
import { stageBreakdown } from "./lib/stage-breakdown.js";
import { vaultOwnTime } from "./lib/vault-direct.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const stack = await startStack({ EDGE_RUNTIME: "miniflare", BENCH_ROUTES: "on" });
try {
  const dev = await benchMerchant(stack.dev);
  const token = await tokenizeCard(dev, "4242424242424242");
  const payment = (capture: "automatic" | "manual") =>
    JSON.stringify({
      amount: 1_000,
      currency: "usd",
      payment_method: { type: "card", token },
      capture_method: capture,
    });
  const headers = { Authorization: `Bearer ${dev.secret_key}`, "Content-Type": "application/json" };
  // What the load repeats, checked once: captured at acquirer A, the processor the vault-only
  // measurement (lib/vault-direct.ts) names.
  const probe = await apiCall(dev, "POST", "/v1/payments", {
    json: JSON.parse(payment("automatic")),
    idempotencyKey: crypto.randomUUID(),
  });
  if (probe.status !== 200 || probe.json.status !== "captured" || probe.json.processor !== "acquirer_a") {
    throw new Error(`BENCHMARK FAILED: a create answered ${probe.status} ${JSON.stringify(probe.json)}`);
  }
  // The baselines store the create's very body, so their row weighs what the payment's request does.
  const jobs = {
    floor: {
      label: "baseline (a)",
      url: `${dev.api}/bench/object`,
      method: "POST",
      headers,
      bodies: [payment("automatic")],
    },
    floorVault: {
      label: "baseline (b)",
      url: `${dev.api}/bench/object-vault`,
      method: "POST",
      headers,
      bodies: [payment("automatic")],
    },
    create: {
      label: "create-payment",
      url: dev.api,
      headers,
      steps: [{ method: "POST", path: "/v1/payments", body: payment("automatic"), idempotent: true }],
      serverTiming: true,
    },
    flow: {
      label: "create + capture flows",
      url: dev.api,
      headers,
      steps: [
        { method: "POST", path: "/v1/payments", body: payment("manual"), idempotent: true, keep: "id" },
        { method: "POST", path: "/v1/payments/{id}/capture", body: "{}", idempotent: true },
      ],
    },
  } satisfies Record<string, Omit<LoadJob, "concurrency" | "durationMs">>;
  const run = (job: Omit<LoadJob, "concurrency" | "durationMs">, concurrency: number, seconds = SECONDS) =>
    runLoad({ ...job, label: `${job.label}, ${concurrency} conn`, concurrency, durationMs: seconds * 1000 });

  // Payments leave work behind them (outbox alarms, the payment-events queue, the projection):
  // after a run that made payments, the next starts once that is done, so a baseline never pays
  // for the payments before it.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5_000));
  // Warm-up: the JIT, the limiter objects, the key caches, the links to the vault and Postgres.
  for (const job of [jobs.floor, jobs.floorVault, jobs.create]) await run(job, CONCURRENCY, 2);
  await settle();
  const vault = await vaultOwnTime(dev, stack.dataDir, token, Math.max(3, SECONDS / 2));
  await settle();
  // At each concurrency the baselines, then the create: its ratio is to (b) measured just before.
  const one = { a: await run(jobs.floor, 1), b: await run(jobs.floorVault, 1), create: await run(jobs.create, 1) };
  await settle();
  // At full load, each run's CPU by part of the stack, sampled once its deferred work is done too.
  const measured = async (job: Omit<LoadJob, "concurrency" | "durationMs">) => {
    const before = stackCpu(stack.pid);
    const result = await run(job, CONCURRENCY);
    await settle();
    const answers = Object.values(result.statuses).reduce((sum, count) => sum + count, 0);
    return { ...result, cpu: cpuPerAnswer(before, stackCpu(stack.pid), answers) };
  };
  const many = {
    a: await measured(jobs.floor),
    b: await measured(jobs.floorVault),
    create: await measured(jobs.create),
  };
  const flows = await run(jobs.flow, CONCURRENCY);
  // Two requests make one flow; its latencies are per request, as autocannon measured them.
  const flowRun = { ...flows, requestsPerSecond: flows.requestsPerSecond / 2 };

  const line = (name: string, result: LoadResult, base: LoadResult) =>
    `${name.padEnd(44)} ${result.requestsPerSecond.toFixed(0).padStart(7)} ${(result.requestsPerSecond / base.requestsPerSecond).toFixed(3).padStart(7)} ${result.p50.toFixed(1).padStart(7)} ${result.p99.toFixed(1).padStart(7)}  ${JSON.stringify(result.statuses)}`;
  const vaultOwn = vault.authorize.p50 - vault.livez.p50;
  const overhead = one.create.p50 - one.b.p50 - vaultOwn;
  const throughput = many.create.requestsPerSecond / many.b.requestsPerSecond;
  const verdict = (met: boolean) => (met ? "met" : "NOT met");
  process.stdout.write(
    `\npayments through the whole stack against the platform's floor, ${SECONDS} s per run (ratio: to baseline (b) at the same connections)\n` +
      `${"route".padEnd(44)} ${"per s".padStart(7)} ${"ratio".padStart(7)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)}  statuses\n` +
      [
        line(`(a) new object, row + outbox, alarm; ${CONCURRENCY} conn`, many.a, many.b),
        line(`(b) (a) + vault no-op fetch; ${CONCURRENCY} conn`, many.b, many.b),
        line(`create-payment, auto capture; ${CONCURRENCY} conn`, many.create, many.b),
        line(`create + capture flows (per flow); ${CONCURRENCY} conn`, flowRun, many.b),
        line("(a) new object, row + outbox, alarm; 1 conn", one.a, one.b),
        line("(b) (a) + vault no-op fetch; 1 conn", one.b, one.b),
        line("create-payment, auto capture; 1 conn", one.create, one.b),
      ].join("\n") +
      `\n(b) over (a): ${(one.b.p50 - one.a.p50).toFixed(1)} ms p50 at 1 conn (the vault hop); ` +
      `throughput (b)/(a) at ${CONCURRENCY} conn ${(many.b.requestsPerSecond / many.a.requestsPerSecond).toFixed(3)}` +
      `\nstraight to the vault, one at a time: authorize (capture) p50 ${vault.authorize.p50.toFixed(1)} ms, /livez p50 ${vault.livez.p50.toFixed(1)} ms ` +
      `(${vault.authorize.calls} and ${vault.livez.calls} calls): the vault's and simulator's own time ${vaultOwn.toFixed(1)} ms\n` +
      stageBreakdown("create-payment, where the time goes", [
        ["1 conn", one.create],
        [`${CONCURRENCY} conn`, many.create],
      ]) +
      `\n\n${cpuTable(many)}` +
      `\n\ngoals (issue 17)\n` +
      `create-payment throughput at ${CONCURRENCY} conn / baseline (b): ${throughput.toFixed(3)} (goal >= 0.5): ${verdict(throughput >= 0.5)}\n` +
      `overhead at 1 conn: create p50 ${one.create.p50.toFixed(1)} - (b) p50 ${one.b.p50.toFixed(1)} - vault and simulator ${vaultOwn.toFixed(1)} = ${overhead.toFixed(1)} ms (goal <= 5 ms): ${verdict(overhead <= 5)}\n`,
  );
} finally {
  await stack.stop();
}

/**
 * CPU per answer by part of the stack at full load, and what it means for the throughput goal:
 * every part shares the machine's cores, so creates per second can never pass the cores' CPU
 * over what one create costs, whatever the latency.
 */
function cpuTable(
  runs: Record<"a" | "b" | "create", { cpu: Record<StackPart, number>; requestsPerSecond: number }>,
): string {
  const total = (cpu: Record<StackPart, number>) => STACK_PARTS.reduce((sum, part) => sum + cpu[part], 0);
  const cell = (value: number) => value.toFixed(2).padStart(9);
  const rows = STACK_PARTS.map(
    (part) => `${part.padEnd(44)}${cell(runs.a.cpu[part])}${cell(runs.b.cpu[part])}${cell(runs.create.cpu[part])}`,
  );
  const create = runs.create.cpu;
  const cores = availableParallelism();
  const ceiling = (cores * 1000) / total(create);
  return (
    `CPU ms per answer at ${CONCURRENCY} conn, by part of the stack (/proc; deferred work included; the load generator not counted)\n` +
    `${"part".padEnd(44)}${"(a)".padStart(9)}${"(b)".padStart(9)}${"create".padStart(9)}\n` +
    `${rows.join("\n")}\n` +
    `${"total".padEnd(44)}${cell(total(runs.a.cpu))}${cell(total(runs.b.cpu))}${cell(total(create))}\n` +
    `cores busy: (b) ${((runs.b.requestsPerSecond * total(runs.b.cpu)) / 1000).toFixed(2)}, create ${((runs.create.requestsPerSecond * total(create)) / 1000).toFixed(2)} of ${cores}; ` +
    `at ${total(create).toFixed(1)} ms a create, ${cores} cores allow at most ${ceiling.toFixed(0)} creates/s ` +
    `(0.5 of (b) is ${(0.5 * runs.b.requestsPerSecond).toFixed(0)}/s); outside the edge's isolate a create uses ${(total(create) - create["edge (workerd)"]).toFixed(2)} ms`
  );
}
