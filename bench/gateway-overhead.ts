/**
 * `npm run bench:gateway`: what the gateway's own chain costs (request id, log line, security
 * headers, body limit, JSON check, API key, rate limit, validation) on a trivial authenticated
 * POST, against the same worker answering the same POST with none of it (`/bench/plain`), in the
 * same run. The Worker's deploy bundle runs in Miniflare; load from autocannon in a child
 * process. Printed as a throughput ratio and as added p50 / p99 milliseconds, at concurrency 1
 * (latency) and `BENCH_CONCURRENCY` (throughput, default 16), with the chain's Server-Timing
 * stages at both. A bench merchant's key, whose limits cannot bind; any answer but 200 fails it.
 */
import { startStack } from "../test/support/running-stack.js";
import { benchMerchant } from "./lib/bench-merchant.js";
import { type LoadResult, runLoad } from "./lib/load.js";
import { stageBreakdown } from "./lib/stage-breakdown.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

const stack = await startStack({ EDGE_RUNTIME: "miniflare", BENCH_ROUTES: "on" });
try {
  // A merchant whose limits sit far above the load: the benchmark measures what the limiter
  // costs, not its refusals (any 429 fails the run).
  const dev = await benchMerchant(stack.dev);
  const headers = { Authorization: `Bearer ${dev.secret_key}`, "Content-Type": "application/json" };
  const body = JSON.stringify({ note: "bench" });
  const job = (path: string, concurrency: number, durationMs: number) =>
    runLoad({
      label: `${path}, ${concurrency} conn`,
      url: `${dev.api}${path}`,
      method: "POST",
      headers,
      bodies: [body],
      concurrency,
      durationMs,
      serverTiming: path === "/bench/gateway",
    });
  await job("/bench/plain", CONCURRENCY, 2_000);
  await job("/bench/gateway", 1, 1_000);
  const rows: [string, LoadResult][] = [];
  for (const concurrency of [1, CONCURRENCY]) {
    rows.push([`plain, ${concurrency} conn`, await job("/bench/plain", concurrency, SECONDS * 1000)]);
    rows.push([`gateway chain, ${concurrency} conn`, await job("/bench/gateway", concurrency, SECONDS * 1000)]);
  }
  const line = ([name, run]: [string, LoadResult], base: LoadResult) =>
    `${name.padEnd(26)} ${run.requestsPerSecond.toFixed(0).padStart(7)} ${(run.requestsPerSecond / base.requestsPerSecond).toFixed(3).padStart(7)} ${run.p50.toFixed(1).padStart(7)} ${run.p99.toFixed(1).padStart(7)} ${JSON.stringify(run.statuses)}`;
  const [plain1, gateway1, plainN, gatewayN] = rows;
  process.stdout.write(
    `\ngateway overhead, ${SECONDS} s per run\n${"route".padEnd(26)} ${"req/s".padStart(7)} ${"ratio".padStart(7)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} statuses\n` +
      [
        line(plain1!, plain1![1]),
        line(gateway1!, plain1![1]),
        line(plainN!, plainN![1]),
        line(gatewayN!, plainN![1]),
      ].join("\n") +
      // At one connection each request waits for the last, so 1000 / rate is the mean time per
      // request; the p50s are of each answer's own time.
      `\nadded by the gateway at 1 connection: ${(1000 / gateway1![1].requestsPerSecond - 1000 / plain1![1].requestsPerSecond).toFixed(2)} ms per request (from the rates); p50 +${(gateway1![1].p50 - plain1![1].p50).toFixed(1)} ms, p99 +${(gateway1![1].p99 - plain1![1].p99).toFixed(1)} ms` +
      `\nthroughput at ${CONCURRENCY} connections: ${(gatewayN![1].requestsPerSecond / plainN![1].requestsPerSecond).toFixed(3)} of the plain route\n` +
      stageBreakdown("the gateway chain, where the time goes", [
        ["1 conn", gateway1![1]],
        [`${CONCURRENCY} conn`, gatewayN![1]],
      ]) +
      "\n",
  );
} finally {
  await stack.stop();
}
