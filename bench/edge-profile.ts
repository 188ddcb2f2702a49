/**
 * `npm run bench:profile` (issue 17, item 2): where the edge's CPU goes while it creates card
 * payments (automatic capture) at `BENCH_CONCURRENCY` connections (default 8) for `BENCH_SECONDS`
 * (default 10). Server-Timing says how long each stage took; on this 2-core machine most of that
 * is waiting for a busy isolate, so this says what kept it busy: a CPU profile of the edge
 * Worker's isolate from workerd's V8 inspector, each sample mapped through the deploy bundle's
 * source map to its file (our code) or package. Every answer must be a 200 (lib/load.ts).
 * `BENCH_PROFILE=floor` profiles baseline (a) instead (`POST /bench/object`: a new object, a row
 * and an outbox row, an alarm), so the create's shares can be read against the platform's floor.
 */
import { join } from "node:path";
import { freePort } from "../scripts/lib/free-port.js";
import { apiCall, startStack, tokenizeCard } from "../test/support/running-stack.js";
import { benchMerchant } from "./lib/bench-merchant.js";
import { cpuBySource, profileEdge } from "./lib/edge-profile.js";
import { runLoad } from "./lib/load.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const TOP = 25;
const FLOOR = process.env.BENCH_PROFILE === "floor";

const inspectorPort = await freePort();
const stack = await startStack({
  EDGE_RUNTIME: "miniflare",
  INSPECTOR_PORT: String(inspectorPort),
  ...(FLOOR ? { BENCH_ROUTES: "on" } : {}),
});
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
  let result: Awaited<ReturnType<typeof runLoad>> | undefined;
  const profile = await profileEdge(inspectorPort, async () => {
    result = await runLoad({ ...job, concurrency: CONCURRENCY, durationMs: SECONDS * 1000 });
  });
  const { busyMs, rows } = cpuBySource(profile, join(stack.dataDir, "edge-bundle"));
  const answered = Object.values(result?.statuses ?? {}).reduce((sum, count) => sum + count, 0);
  process.stdout.write(
    `\nthe edge Worker's CPU, ${job.label}: ${result?.requestsPerSecond.toFixed(0)}/s, ` +
      `p50 ${result?.p50.toFixed(1)} ms, statuses ${JSON.stringify(result?.statuses)}\n` +
      `the isolate was busy ${(busyMs / 1000).toFixed(1)} s of ${SECONDS} s: ${(busyMs / Math.max(1, answered)).toFixed(2)} ms of CPU per answer\n` +
      `${"share of busy time".padStart(18)}  source (our file, a package, or V8's own)\n` +
      rows
        .slice(0, TOP)
        .map((row) => `${(row.share * 100).toFixed(1).padStart(17)}%  ${row.source}`)
        .join("\n") +
      `\n${"".padStart(18)}  (${rows.length - Math.min(TOP, rows.length)} more sources, ${(rows.slice(TOP).reduce((sum, row) => sum + row.share, 0) * 100).toFixed(1)}%)\n`,
  );
} finally {
  await stack.stop();
}
