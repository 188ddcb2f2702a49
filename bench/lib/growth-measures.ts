import pg from "pg";
import type { DevJson } from "../../test/support/running-stack.js";
import { percentile } from "./percentile.js";

/**
 * What the cost-growth benchmark measures at each size, through the API and the queue as a
 * merchant's traffic goes: one request at a time for latency (a queue of requests would measure
 * the queue), and the projection's drain for throughput. Any answer other than the one meant ends
 * the benchmark: a fast 4xx or 5xx is not a fast list.
 */
export interface Latency {
  p50: number;
  p95: number;
}

const paymentBody = (token: string) =>
  JSON.stringify({
    amount: 1_000,
    currency: "usd",
    payment_method: { type: "card", token },
    capture_method: "automatic",
  });

function headers(dev: DevJson): Record<string, string> {
  return { Authorization: `Bearer ${dev.secret_key}`, "Content-Type": "application/json" };
}

/** One automatic-capture create; its id, or the benchmark fails. */
async function createOne(dev: DevJson, token: string): Promise<string> {
  const response = await fetch(`${dev.api}/v1/payments`, {
    method: "POST",
    headers: { ...headers(dev), "Idempotency-Key": crypto.randomUUID() },
    body: paymentBody(token),
  });
  const json = (await response.json()) as { id?: string; status?: string };
  if (response.status !== 200 || json.status !== "captured" || !json.id) {
    throw new Error(`BENCHMARK FAILED: a create answered ${response.status} ${JSON.stringify(json)}`);
  }
  return json.id;
}

async function timed(count: number, call: () => Promise<unknown>): Promise<Latency> {
  const took: number[] = [];
  for (let n = 0; n < count; n++) {
    const from = performance.now();
    await call();
    took.push(performance.now() - from);
  }
  return { p50: percentile(took, 50), p95: percentile(took, 95) };
}

/** `count` creates, one at a time. */
export function createLatency(dev: DevJson, token: string, count: number): Promise<Latency> {
  return timed(count, () => createOne(dev, token));
}

/** `count` reads of one list page, one at a time, each holding exactly `expected` payments. */
export function listLatency(
  dev: DevJson,
  query: string,
  limit: number,
  expected: number,
  count: number,
): Promise<Latency> {
  return timed(count, async () => {
    const response = await fetch(`${dev.api}/v1/payments?limit=${limit}&${query}`, { headers: headers(dev) });
    const json = (await response.json()) as { data?: unknown[] };
    if (response.status !== 200 || json.data?.length !== expected) {
      throw new Error(
        `BENCHMARK FAILED: GET /v1/payments?${query} answered ${response.status} with ${json.data?.length} payments, not ${expected}`,
      );
    }
  });
}

/**
 * The projection's throughput: a share lock on `payments` (reads go on, writes wait) holds the
 * `payment-events` consumer back while payments are made at `concurrency` for `holdMs`, so their
 * messages queue up as they would behind a slow database; from the lock's release, the time until
 * every payment is in Postgres as captured. Messages per second: the transitions projected (one
 * `payment_events` row per message) over that time. The hold stays under the consumer's 10 s
 * query timeout (workers/db/database.ts), so no batch is retried and none is counted twice.
 */
export async function projectionDrain(
  dev: DevJson,
  token: string,
  concurrency: number,
  holdMs: number,
): Promise<{ messages: number; seconds: number; perSecond: number }> {
  const locker = new pg.Client({ connectionString: dev.database_url });
  locker.on("error", () => {});
  await locker.connect();
  const ids: string[] = [];
  let released = 0;
  try {
    await locker.query("begin");
    await locker.query("lock table payments in share mode");
    const until = performance.now() + holdMs;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) ids.push(await createOne(dev, token));
      }),
    );
    await locker.query("commit");
    released = performance.now();
    for (;;) {
      const { rows } = await locker.query<{ done: number }>(
        "select count(*)::int as done from payments where id = any($1) and status = 'captured'",
        [ids],
      );
      if (rows[0]?.done === ids.length) break;
      if (performance.now() - released > 60_000) {
        throw new Error(`BENCHMARK FAILED: ${rows[0]?.done} of ${ids.length} payments projected after 60 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const seconds = (performance.now() - released) / 1000;
    const { rows } = await locker.query<{ messages: number }>(
      "select count(*)::int as messages from payment_events where payment_id = any($1)",
      [ids],
    );
    const messages = rows[0]?.messages ?? 0;
    return { messages, seconds, perSecond: messages / seconds };
  } finally {
    if (!released) await locker.query("rollback").catch(() => {});
    await locker.end().catch(() => {});
  }
}
