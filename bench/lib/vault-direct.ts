import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AuthorizeRequest } from "../../common/vault-internal-api.js";
import type { DevJson } from "../../test/support/running-stack.js";
import { vaultToken } from "../../workers/vault/vault-token.js";
import { percentile } from "./percentile.js";

/** p50 and p99 of one call made back to back from this process, and how many were made. */
export interface SerialTimes {
  p50: number;
  p99: number;
  calls: number;
}

/** `once` back to back for `seconds`, each timed by `once` itself (its untimed set-up left out). */
async function serially(seconds: number, once: () => Promise<number>): Promise<SerialTimes> {
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) latencies.push(await once());
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), calls: latencies.length };
}

/**
 * The part of a payment that is not the gateway's: the vault's and the simulator's own time for
 * the one call an automatic-capture card payment makes (`POST /internal/v1/authorize`, capture
 * true), measured straight to the vault, less the same hop to its no-op route (`/livez`), which
 * baseline (b) already holds. Each authorize is signed as the edge signs it (ES256, bound to the
 * request) before its clock starts: the signature is the gateway's cost, not the vault's. Any
 * answer but an approval ends the benchmark.
 */
export async function vaultOwnTime(
  dev: DevJson,
  dataDir: string,
  token: string,
  seconds: number,
): Promise<{ livez: SerialTimes; authorize: SerialTimes }> {
  const edge = JSON.parse(readFileSync(join(dataDir, "secrets.json"), "utf8")) as { VAULT_SIGNING_KEY: string };
  const livez = await serially(seconds, async () => {
    const started = performance.now();
    const response = await fetch(`${dev.vault}/livez`);
    await response.text();
    if (response.status !== 200) throw new Error(`BENCHMARK FAILED: the vault's /livez answered ${response.status}`);
    return performance.now() - started;
  });
  let payments = 0;
  const authorize = await serially(seconds, async () => {
    // As the edge names them: operation ids bound to the payment its service token names.
    const hex = `bench${process.pid}x${++payments}`;
    const paymentId = `pay_${hex}`;
    const body = JSON.stringify({
      merchant_id: dev.merchant_id,
      payment_id: paymentId,
      token,
      amount: 1_000,
      currency: "USD",
      capture: true,
      // Where the edge's router sends a test-mode Visa card with no rules (asserted by the caller).
      processor: "acquirer_a",
      livemode: false,
      operation_id: `op_${hex}_1`,
      deadline: Date.now() + 25_000,
    } satisfies AuthorizeRequest);
    const request = { method: "POST", path: "/internal/v1/authorize", body };
    const authorization = `Bearer ${await vaultToken(edge, paymentId, request)}`;
    const started = performance.now();
    const response = await fetch(`${dev.vault}${request.path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: authorization },
      body,
    });
    const answer = (await response.json()) as { outcome?: string };
    const elapsed = performance.now() - started;
    if (response.status !== 200 || answer.outcome !== "approved") {
      throw new Error(`BENCHMARK FAILED: the vault's authorize answered ${response.status} ${JSON.stringify(answer)}`);
    }
    return elapsed;
  });
  return { livez, authorize };
}
