/**
 * `npm run bench:payments` (issue 17): card payments through the whole local stack (the edge
 * Worker's deploy bundle in Miniflare, vault, acquirer simulator over TCP, Postgres, all on this
 * machine's cores) against the platform's floor, in the same run and runtime:
 *
 * - baseline (a), `POST /bench/object`: a new SQLite-backed object, one row and one outbox row
 *   in one transaction, its alarm armed: what any payment must cost here;
 * - baseline (b), `POST /bench/object-vault`: the same plus one fetch of the vault's no-op route;
 * - create-payment, automatic capture (one request: authorize and capture at the acquirer), on
 *   one saved card (a token the edge has routed before: its facts are in the isolate's memory)
 *   and on a new card each (a token made just before, whose facts the edge reads from Postgres);
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
import { newCards } from "./lib/new-cards.js";
import { cpuPerAnswer, STACK_PARTS, type StackPart, stackCpu } from "./lib/process-cpu.js";
import { stageBreakdown } from "./lib/stage-breakdown.js";
import { vaultOwnTime } from "./lib/vault-direct.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

// The vault's tokenization throttles (50 a second per key) out of reach of the new cards' tokens.
const stack = await startStack({
  EDGE_RUNTIME: "miniflare",
  BENCH_ROUTES: "on",
  VAULT_TOKENIZE_PER_KEY_PER_SECOND: "1000000",
  VAULT_TOKENIZE_PER_CLIENT_PER_SECOND: "1000000",
});
try {
  const dev = await benchMerchant(stack.dev);
  const token = await tokenizeCard(dev, "4242424242424242");
  const payment = (capture: "automatic" | "manual", card = token) =>
    JSON.stringify({
      amount: 1_000,
      currency: "usd",
      payment_method: { type: "card", token: card },
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
    // Each request a token never used: made before the run, as many as it could use (bodiesOnce).
    createNewCard: {
      label: "create-payment, a new card each",
      url: `${dev.api}/v1/payments`,
      method: "POST",
      headers,
      bodies: [] as string[],
      bodiesOnce: true,
      idempotent: true,
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
  // for the payments before it. And every run leaves thousands of objects behind, which local
  // workerd keeps open for a while: with 5 s between runs they piled up across runs until its
  // SQLite ran out of memory (SQLITE_NOMEM: 500s from baseline (a), 2026-12-03); 15 s lets them go.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 15_000));
  // Warm-up: the JIT, the limiter objects, the key caches, the links to the vault and Postgres.
  for (const job of [jobs.floor, jobs.floorVault, jobs.create]) await run(job, CONCURRENCY, 2);
  await settle();
  const vault = await vaultOwnTime(dev, stack.dataDir, token, Math.max(3, SECONDS / 2));
  await settle();
  // A run on new cards gets as many as it could use: far more than the saved card's rate allows.
  const withNewCards = async (count: number) => ({
    ...jobs.createNewCard,
    bodies: (await newCards(dev, count)).map((card) => payment("automatic", card)),
  });
  const newCardsPerRun = Math.ceil(SECONDS * 250);
  // At each concurrency the baselines, then the creates: their ratio is to (b) measured just before.
  const one = {
    a: await run(jobs.floor, 1),
    b: await run(jobs.floorVault, 1),
    create: await run(jobs.create, 1),
    createNewCard: await run(await withNewCards(newCardsPerRun), 1),
  };
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
    createNewCard: await measured(await withNewCards(newCardsPerRun)),
  };
  const flows = await run(jobs.flow, CONCURRENCY);
  // Two requests make one flow; its latencies are per request, as autocannon measured them.
  const flowRun = { ...flows, requestsPerSecond: flows.requestsPerSecond / 2 };

  const line = (name: string, result: LoadResult, base: LoadResult) =>
    `${name.padEnd(44)} ${result.requestsPerSecond.toFixed(0).padStart(7)} ${(result.requestsPerSecond / base.requestsPerSecond).toFixed(3).padStart(7)} ${result.p50.toFixed(1).padStart(7)} ${result.p99.toFixed(1).padStart(7)}  ${JSON.stringify(result.statuses)}`;
  const vaultOwn = vault.authorize.p50 - vault.livez.p50;
  const verdict = (met: boolean) => (met ? "met" : "NOT met");
  const overhead = (create: LoadResult) => create.p50 - one.b.p50 - vaultOwn;
  const throughput = (create: LoadResult) => create.requestsPerSecond / many.b.requestsPerSecond;
  const goals = (name: string, created: { one: LoadResult; many: LoadResult }) =>
    `create-payment throughput at ${CONCURRENCY} conn / baseline (b), ${name}: ${throughput(created.many).toFixed(3)} (goal >= 0.5): ${verdict(throughput(created.many) >= 0.5)}\n` +
    `overhead at 1 conn, ${name}: create p50 ${created.one.p50.toFixed(1)} - (b) p50 ${one.b.p50.toFixed(1)} - vault and simulator ${vaultOwn.toFixed(1)} = ${overhead(created.one).toFixed(1)} ms (goal <= 5 ms): ${verdict(overhead(created.one) <= 5)}\n`;
  process.stdout.write(
    `\npayments through the whole stack against the platform's floor, ${SECONDS} s per run (ratio: to baseline (b) at the same connections)\n` +
      `${"route".padEnd(44)} ${"per s".padStart(7)} ${"ratio".padStart(7)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)}  statuses\n` +
      [
        line(`(a) new object, row + outbox, alarm; ${CONCURRENCY} conn`, many.a, many.b),
        line(`(b) (a) + vault no-op fetch; ${CONCURRENCY} conn`, many.b, many.b),
        line(`create-payment, auto capture; ${CONCURRENCY} conn`, many.create, many.b),
        line(`  the same, a new card each; ${CONCURRENCY} conn`, many.createNewCard, many.b),
        line(`create + capture flows (per flow); ${CONCURRENCY} conn`, flowRun, many.b),
        line("(a) new object, row + outbox, alarm; 1 conn", one.a, one.b),
        line("(b) (a) + vault no-op fetch; 1 conn", one.b, one.b),
        line("create-payment, auto capture; 1 conn", one.create, one.b),
        line("  the same, a new card each; 1 conn", one.createNewCard, one.b),
      ].join("\n") +
      `\n(b) over (a): ${(one.b.p50 - one.a.p50).toFixed(1)} ms p50 at 1 conn (the vault hop); ` +
      `throughput (b)/(a) at ${CONCURRENCY} conn ${(many.b.requestsPerSecond / many.a.requestsPerSecond).toFixed(3)}` +
      `\nstraight to the vault, one at a time: authorize (capture) p50 ${vault.authorize.p50.toFixed(1)} ms, /livez p50 ${vault.livez.p50.toFixed(1)} ms ` +
      `(${vault.authorize.calls} and ${vault.livez.calls} calls): the vault's and simulator's own time ${vaultOwn.toFixed(1)} ms\n` +
      stageBreakdown("create-payment, where the time goes", [
        ["1 conn", one.create],
        [`${CONCURRENCY} conn`, many.create],
        ["new card, 1", one.createNewCard],
        [`new card, ${CONCURRENCY}`, many.createNewCard],
      ]) +
      `\n\n${cpuTable(many)}` +
      `\n\ngoals (issue 17)\n` +
      goals("a saved card", { one: one.create, many: many.create }) +
      goals("a new card each", { one: one.createNewCard, many: many.createNewCard }),
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
  runs: Record<"a" | "b" | "create" | "createNewCard", { cpu: Record<StackPart, number>; requestsPerSecond: number }>,
): string {
  const total = (cpu: Record<StackPart, number>) => STACK_PARTS.reduce((sum, part) => sum + cpu[part], 0);
  const cell = (value: number) => value.toFixed(2).padStart(9);
  const rows = STACK_PARTS.map(
    (part) =>
      `${part.padEnd(44)}${cell(runs.a.cpu[part])}${cell(runs.b.cpu[part])}${cell(runs.create.cpu[part])}${cell(runs.createNewCard.cpu[part])}`,
  );
  const create = runs.create.cpu;
  const cores = availableParallelism();
  const ceiling = (cores * 1000) / total(create);
  return (
    `CPU ms per answer at ${CONCURRENCY} conn, by part of the stack (/proc; deferred work included; the load generator not counted)\n` +
    `${"part".padEnd(44)}${"(a)".padStart(9)}${"(b)".padStart(9)}${"create".padStart(9)}${"new card".padStart(9)}\n` +
    `${rows.join("\n")}\n` +
    `${"total".padEnd(44)}${cell(total(runs.a.cpu))}${cell(total(runs.b.cpu))}${cell(total(create))}${cell(total(runs.createNewCard.cpu))}\n` +
    `cores busy: (b) ${((runs.b.requestsPerSecond * total(runs.b.cpu)) / 1000).toFixed(2)}, create ${((runs.create.requestsPerSecond * total(create)) / 1000).toFixed(2)} of ${cores}; ` +
    `at ${total(create).toFixed(1)} ms a create, ${cores} cores allow at most ${ceiling.toFixed(0)} creates/s ` +
    `(0.5 of (b) is ${(0.5 * runs.b.requestsPerSecond).toFixed(0)}/s); outside the edge's isolate a create uses ${(total(create) - create["edge (workerd)"]).toFixed(2)} ms`
  );
}
