/**
 * `npm run bench:payments`: card create-and-capture flows (manual create, then capture) through
 * the whole local stack (`npm start`'s: wrangler dev, vault, acquirer simulator over TCP,
 * Postgres), against a bare Durable Object round trip of the same worker (reading a payment), in
 * the same run, printed as ratios. At concurrency 1 it also prints the gateway's own overhead:
 * flow latency minus the time the vault and the simulator took for the same two calls.
 * Goals on 2 cores: flows >= 50 % of the bare route's throughput; overhead p50 <= 5 ms.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { apiCall, startStack, tokenizeCard } from "../test/support/running-stack.js";
import { vaultToken } from "../workers/vault/vault-token.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

async function closedLoop(concurrency: number, seconds: number, once: () => Promise<void>) {
  const latencies: number[] = [];
  let failures = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const started = performance.now();
        try {
          await once();
          latencies.push(performance.now() - started);
        } catch {
          failures += 1;
        }
      }
    }),
  );
  return {
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures,
  };
}

const stack = await startStack();
const { dev } = stack;
try {
  const token = await tokenizeCard(dev, "4242424242424242");
  const create = async () => {
    const created = await apiCall(dev, "POST", "/v1/payments", {
      json: { amount: 1_000, currency: "usd", payment_method: { type: "card", token }, capture_method: "manual" },
      idempotencyKey: crypto.randomUUID(),
    });
    if (created.status !== 200) throw new Error(`create ${created.status}`);
    return created.json.id as string;
  };
  const flow = async () => {
    const id = await create();
    const captured = await apiCall(dev, "POST", `/v1/payments/${id}/capture`, {
      json: {},
      idempotencyKey: crypto.randomUUID(),
    });
    if (captured.status !== 200) throw new Error(`capture ${captured.status}`);
  };
  const existing = await create();
  const bare = async () => {
    const read = await apiCall(dev, "GET", `/v1/payments/${existing}`);
    if (read.status !== 200) throw new Error(`read ${read.status}`);
  };

  // The same two calls made straight to the vault (and so to the simulator): the part of a flow that is not the gateway's.
  const edge = JSON.parse(readFileSync(join(stack.dataDir, "secrets.json"), "utf8")) as { VAULT_SIGNING_KEY: string };
  const internal = async (path: string, body: unknown) => {
    const response = await fetch(`${dev.vault}/internal/v1/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${await vaultToken(edge, "pay_bench")}` },
      body: JSON.stringify(body),
    });
    return (await response.json()) as { outcome: string; processor: string; processor_reference: string };
  };
  const processorOnly = async () => {
    const auth = await internal("authorize", {
      merchant_id: dev.merchant_id,
      payment_id: "pay_bench",
      token,
      amount: 1_000,
      currency: "USD",
      capture: false,
    });
    if (auth.outcome !== "approved") throw new Error(`authorize ${auth.outcome}`);
    const capture = await internal("capture", {
      processor: auth.processor,
      processor_reference: auth.processor_reference,
      amount: 1_000,
      currency: "USD",
    });
    if (capture.outcome !== "approved") throw new Error(`capture ${capture.outcome}`);
  };
  await closedLoop(CONCURRENCY, 2, bare); // warm-up
  // Serial runs first: the concurrent flows leave queue and projection work behind them.
  const flowSerial = await closedLoop(1, Math.max(3, SECONDS / 2), flow);
  const processorSerial = await closedLoop(1, Math.max(3, SECONDS / 2), processorOnly);
  const bareRun = await closedLoop(CONCURRENCY, SECONDS, bare);
  const flowRun = await closedLoop(CONCURRENCY, SECONDS, flow);
  const overheadP50 = flowSerial.p50 - processorSerial.p50;

  process.stdout.write(
    `\npayment flows through the whole stack, ${CONCURRENCY} concurrent, ${SECONDS} s each\n` +
      `${"route".padEnd(34)} ${"per s".padStart(8)} ${"ratio".padStart(7)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} failures\n` +
      [
        ["bare DO round trip (GET payment)", bareRun],
        ["create + capture flow", flowRun],
        ["create + capture flow, 1 at a time", flowSerial],
        ["same two calls, vault + simulator only", processorSerial],
      ]
        .map(([name, r]) => {
          const run = r as typeof bareRun;
          return `${String(name).padEnd(34)} ${run.perSecond.toFixed(0).padStart(8)} ${(run.perSecond / bareRun.perSecond).toFixed(3).padStart(7)} ${run.p50.toFixed(1).padStart(8)} ${run.p99.toFixed(1).padStart(8)} ${run.failures}`;
        })
        .join("\n") +
      `\nflows / bare route: ${(flowRun.perSecond / bareRun.perSecond).toFixed(3)} (goal >= 0.5)` +
      `\ngateway overhead at concurrency 1, p50: ${overheadP50.toFixed(1)} ms (goal <= 5 ms)\n`,
  );
} finally {
  await stack.stop();
}
