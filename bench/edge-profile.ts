/**
 * `npm run bench:profile` (issue 17, item 2): where the edge's CPU goes while it creates card
 * payments (automatic capture) at `BENCH_CONCURRENCY` connections (default 8) for `BENCH_SECONDS`
 * (default 10). Server-Timing says how long each stage took; on this 2-core machine most of that
 * is waiting for a busy isolate, so this says what kept it busy: a CPU profile of the edge
 * Worker's isolate from workerd's V8 inspector, each sample mapped through the deploy bundle's
 * source map to its file (our code) or package. Every answer must be a 200 (lib/load.ts).
 * `BENCH_PROFILE=floor` profiles baseline (a) instead (`POST /bench/object`: a new object, a row
 * and an outbox row, an alarm), so the create's shares can be read against the platform's floor.
 * `BENCH_PROFILE=pipeline` creates at a fixed `BENCH_RATE` per second (default 40) with two webhook
 * endpoints subscribed to `payment.captured`, as `bench:pipeline` does, so the isolate's CPU per
 * payment includes what the queue consumers spend on it (projection, delivery, audit).
 */
import { join } from "node:path";
import { freePort } from "../scripts/lib/free-port.js";
import { apiCall, startStack, tokenizeCard } from "../test/support/running-stack.js";
import { WebhookReceiver } from "../test/support/webhook-receiver.js";
import { benchMerchant } from "./lib/bench-merchant.js";
import { cpuBySource, profileEdge } from "./lib/edge-profile.js";
import { runLoad } from "./lib/load.js";
import { createAtRate } from "./lib/pipeline-load.js";
import { cpuPerAnswer, STACK_PARTS, stackCpu } from "./lib/process-cpu.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const TOP = 25;
const FLOOR = process.env.BENCH_PROFILE === "floor";
const PIPELINE = process.env.BENCH_PROFILE === "pipeline";
const RATE = Number(process.env.BENCH_RATE ?? 40);

const inspectorPort = await freePort();
const stack = await startStack({
  EDGE_RUNTIME: "miniflare",
  INSPECTOR_PORT: String(inspectorPort),
  ...(FLOOR ? { BENCH_ROUTES: "on" } : {}),
  ...(PIPELINE ? { WEBHOOK_LOCAL_RECEIVERS: "on" } : {}),
});
const receivers = PIPELINE ? [new WebhookReceiver(), new WebhookReceiver()] : [];
try {
  const dev = await benchMerchant(stack.dev);
  const token = await tokenizeCard(dev, "4242424242424242");
  const body = JSON.stringify({ amount: 1_000, currency: "usd", payment_method: { type: "card", token } });
  const probe = await apiCall(dev, "POST", "/v1/payments", {
    json: JSON.parse(body),
    idempotencyKey: crypto.randomUUID(),
  });
  if (probe.status !== 200 || probe.json.status !== "captured") {
    throw new Error(`BENCHMARK FAILED: a create answered ${probe.status} ${JSON.stringify(probe.json)}`);
  }
  const headers = { Authorization: `Bearer ${dev.secret_key}`, "Content-Type": "application/json" };
  const job = FLOOR
    ? {
        label: `baseline (a), ${CONCURRENCY} conn`,
        url: `${dev.api}/bench/object`,
        method: "POST",
        headers,
        bodies: [body],
      }
    : {
        label: `create-payment, ${CONCURRENCY} conn`,
        url: dev.api,
        headers,
        steps: [{ method: "POST", path: "/v1/payments", body, idempotent: true }],
      };
  await runLoad({ ...job, concurrency: CONCURRENCY, durationMs: 3_000 }); // warm-up: JIT, caches, kept sessions
  for (const receiver of receivers) {
    await receiver.start();
    const endpoint = await apiCall(dev, "POST", "/v1/webhook_endpoints", {
      json: { url: receiver.url, enabled_events: ["payment.captured"] },
    });
    if (endpoint.status !== 201) throw new Error(`BENCHMARK FAILED: an endpoint answered ${endpoint.status}`);
    receiver.secret = endpoint.json.secret;
  }
  let summary = "";
  let answered = 0;
  const cpuBefore = stackCpu(stack.pid);
  const profile = await profileEdge(inspectorPort, async () => {
    if (PIPELINE) {
      const run = await createAtRate(dev, JSON.parse(body), RATE, SECONDS);
      // The consumers' share of these payments: wait (in the profile) until both endpoints have them all.
      const until = performance.now() + 60_000;
      while (performance.now() < until && receivers.some((r) => r.deduplicated.length < run.payments.length)) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const delivered = Math.min(...receivers.map((r) => r.deduplicated.length));
      if (delivered < run.payments.length) {
        throw new Error(`BENCHMARK FAILED: ${delivered} of ${run.payments.length} payments delivered in 60 s`);
      }
      answered = run.payments.length;
      summary = `${answered} payments at ${RATE}/s with two endpoints, each delivered to both (${run.late} sends late, ${run.accepted} answered 202)`;
      return;
    }
    const result = await runLoad({ ...job, concurrency: CONCURRENCY, durationMs: SECONDS * 1000 });
    answered = Object.values(result.statuses).reduce((sum, count) => sum + count, 0);
    summary = `${job.label}: ${result.requestsPerSecond.toFixed(0)}/s, p50 ${result.p50.toFixed(1)} ms, statuses ${JSON.stringify(result.statuses)}`;
  });
  const cpu = cpuPerAnswer(cpuBefore, stackCpu(stack.pid), answered);
  const { busyMs, rows } = cpuBySource(profile, join(stack.dataDir, "edge-bundle"));
  process.stdout.write(
    `\nthe edge Worker's CPU, ${summary}\n` +
      `the isolate ran ${(busyMs / 1000).toFixed(1)} s: ${(busyMs / Math.max(1, answered)).toFixed(2)} ms per ${PIPELINE ? "payment" : "answer"} ` +
      `(its JavaScript and the native calls it made; not workerd's own work nor Miniflare's isolates)\n` +
      `CPU per ${PIPELINE ? "payment" : "answer"} by process (/proc, profiler included): ` +
      `${STACK_PARTS.map((part) => `${part} ${cpu[part].toFixed(2)} ms`).join(", ")}\n` +
      `${"share of run time".padStart(18)}  source (our file, a package, or V8's own)\n` +
      rows
        .slice(0, TOP)
        .map((row) => `${(row.share * 100).toFixed(1).padStart(17)}%  ${row.source}`)
        .join("\n") +
      `\n${"".padStart(18)}  (${rows.length - Math.min(TOP, rows.length)} more sources, ${(rows.slice(TOP).reduce((sum, row) => sum + row.share, 0) * 100).toFixed(1)}%)\n`,
  );
} finally {
  for (const receiver of receivers) await receiver.stop();
  await stack.stop();
}
