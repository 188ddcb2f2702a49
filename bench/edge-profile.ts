/**
 * `npm run bench:profile` (issue 17, item 2): where the edge's CPU goes while it creates card
 * payments (automatic capture) at `BENCH_CONCURRENCY` connections (default 8) for `BENCH_SECONDS`
 * (default 10). Server-Timing says how long each stage took; on this 2-core machine most of that
 * is waiting for a busy isolate, so this says what kept it busy: a CPU profile of the edge
 * Worker's isolate from workerd's V8 inspector, each sample mapped through the deploy bundle's
 * source map to its file (our code) or package. Every answer must be a 200 (lib/load.ts).
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

const inspectorPort = await freePort();
const stack = await startStack({ EDGE_RUNTIME: "miniflare", INSPECTOR_PORT: String(inspectorPort) });
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
  const job = {
    label: `create-payment, ${CONCURRENCY} conn`,
    url: dev.api,
    headers: { Authorization: `Bearer ${dev.secret_key}`, "Content-Type": "application/json" },
    steps: [{ method: "POST", path: "/v1/payments", body, idempotent: true }],
    concurrency: CONCURRENCY,
  };
  await runLoad({ ...job, durationMs: 3_000 }); // warm-up: JIT, caches, kept sessions
  let result: Awaited<ReturnType<typeof runLoad>> | undefined;
  const profile = await profileEdge(inspectorPort, async () => {
    result = await runLoad({ ...job, durationMs: SECONDS * 1000 });
  });
  const rows = cpuBySource(profile, join(stack.dataDir, "edge-bundle"));
  process.stdout.write(
    `\nthe edge Worker's CPU while creating payments: ${result?.requestsPerSecond.toFixed(0)}/s at ${CONCURRENCY} conn, ` +
      `p50 ${result?.p50.toFixed(1)} ms, statuses ${JSON.stringify(result?.statuses)}\n` +
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
