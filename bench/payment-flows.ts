/**
 * `npm run bench:payments`: card create-and-capture flows (manual create, then capture) through
 * the whole local stack (the edge Worker's deploy bundle in Miniflare, vault, acquirer simulator
 * over TCP, Postgres, every one on this machine's cores), against a bare Durable Object round
 * trip of the same worker (reading a payment), in the same run, printed as ratios. Load comes
 * from autocannon in a child process. At concurrency 1 it also prints the gateway's own
 * overhead: flow latency minus the time the vault and the simulator took for the same two calls.
 * Goals on 2 cores: flows >= 50 % of the bare route's throughput; overhead p50 <= 5 ms.
 *
 * The Worker runs in Miniflare directly, not under `wrangler dev`, whose proxy adds about 4 ms to
 * every request (scripts/edge-miniflare.ts). `BENCH_SECONDS`, `BENCH_CONCURRENCY` tune it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { apiCall, startStack, tokenizeCard } from "../test/support/running-stack.js";
import { vaultToken } from "../workers/vault/vault-token.js";
import { type LoadResult, runLoad } from "./lib/load.js";
import { percentile } from "./lib/percentile.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

/** One caller, one flow at a time, timed end to end in this process. */
async function serially(seconds: number, once: () => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const started = performance.now();
    try {
      await once();
      latencies.push(performance.now() - started);
    } catch {
      failures += 1;
    }
  }
  return {
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    statuses: { ok: latencies.length, failed: failures },
  };
}

const stack = await startStack({ EDGE_RUNTIME: "miniflare" });
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

  // The same two calls made straight to the vault (and so to the simulator): the part of a flow that is not the gateway's.
  const edge = JSON.parse(readFileSync(join(stack.dataDir, "secrets.json"), "utf8")) as { VAULT_SIGNING_KEY: string };
  // Each pair is one payment as the edge would send it: operation ids bound to the payment the
  // service token names (`op_<payment>_<n>`), and a deadline.
  let benchPayments = 0;
  const internal = async (paymentId: string, path: string, body: unknown) => {
    const request = { method: "POST", path: `/internal/v1/${path}`, body: JSON.stringify(body) };
    const token = await vaultToken(edge, paymentId, request);
    const response = await fetch(`${dev.vault}${request.path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: request.body,
    });
    return (await response.json()) as { outcome: string; processor: string; processor_reference: string };
  };
  const processorOnly = async () => {
    const hex = `bench${process.pid}x${++benchPayments}`;
    const paymentId = `pay_${hex}`;
    const deadline = () => Date.now() + 25_000;
    const auth = await internal(paymentId, "authorize", {
      merchant_id: dev.merchant_id,
      payment_id: paymentId,
      token,
      amount: 1_000,
      currency: "USD",
      capture: false,
      operation_id: `op_${hex}_1`,
      deadline: deadline(),
    });
    if (auth.outcome !== "approved") throw new Error(`authorize ${auth.outcome}`);
    const capture = await internal(paymentId, "capture", {
      payment_id: paymentId,
      processor: auth.processor,
      processor_reference: auth.processor_reference,
      amount: 1_000,
      currency: "USD",
      operation_id: `op_${hex}_2`,
      deadline: deadline(),
    });
    if (capture.outcome !== "approved") throw new Error(`capture ${capture.outcome}`);
  };
  const load = {
    url: dev.api,
    headers: { Authorization: `Bearer ${dev.secret_key}`, "Content-Type": "application/json" },
    concurrency: CONCURRENCY,
  };
  const bareLoad = { ...load, url: `${dev.api}/v1/payments/${existing}` };
  const flowLoad = {
    ...load,
    steps: [
      {
        method: "POST",
        path: "/v1/payments",
        body: JSON.stringify({
          amount: 1_000,
          currency: "usd",
          payment_method: { type: "card", token },
          capture_method: "manual",
        }),
        idempotent: true,
        keep: "id",
      },
      { method: "POST", path: "/v1/payments/{id}/capture", body: "{}", idempotent: true },
    ],
  };
  await runLoad({ ...bareLoad, durationMs: 2_000 }); // warm-up
  await runLoad({ ...flowLoad, durationMs: 2_000 });
  // Serial runs first: the concurrent flows leave queue and projection work behind them.
  const flowSerial = await serially(Math.max(3, SECONDS / 2), flow);
  const processorSerial = await serially(Math.max(3, SECONDS / 2), processorOnly);
  const bareRun = await runLoad({ ...bareLoad, durationMs: SECONDS * 1000 });
  const requests = await runLoad({ ...flowLoad, durationMs: SECONDS * 1000 });
  // Two requests make one flow; per-request latencies are printed as autocannon measured them.
  const flowRun = { ...requests, requestsPerSecond: requests.requestsPerSecond / 2 };
  const overheadP50 = flowSerial.p50 - processorSerial.p50;
  const rows: [string, LoadResult][] = [
    ["bare DO round trip (GET payment)", bareRun],
    ["create + capture flows (per request ms)", flowRun],
    ["create + capture flow, 1 at a time", flowSerial],
    ["same two calls, vault + simulator only", processorSerial],
  ];
  process.stdout.write(
    `\npayment flows through the whole stack, ${CONCURRENCY} connections, ${SECONDS} s each\n` +
      `${"route".padEnd(40)} ${"per s".padStart(8)} ${"ratio".padStart(7)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} statuses\n` +
      rows
        .map(
          ([name, run]) =>
            `${name.padEnd(40)} ${run.requestsPerSecond.toFixed(0).padStart(8)} ${(run.requestsPerSecond / bareRun.requestsPerSecond).toFixed(3).padStart(7)} ${run.p50.toFixed(1).padStart(8)} ${run.p99.toFixed(1).padStart(8)} ${JSON.stringify(run.statuses)}`,
        )
        .join("\n") +
      `\nflows / bare route: ${(flowRun.requestsPerSecond / bareRun.requestsPerSecond).toFixed(3)} (goal >= 0.5)` +
      `\ngateway overhead at concurrency 1, p50: ${overheadP50.toFixed(1)} ms (goal <= 5 ms)\n`,
  );
} finally {
  await stack.stop();
}
