import type pg from "pg";
import { apiCall, type DevJson, tokenizeCard } from "../../test/support/running-stack.js";
import type { Kind } from "./growth-data.js";

/**
 * One real payment of each kind in the cost-growth mix, made through the API as a merchant makes
 * them (a capture, a decline, a manual capture held, a full refund), and awaited in the Postgres
 * projection, so the history copied from them is what the projection writes.
 */
const EXPECTED: Record<Kind, { status: string; movements: number }> = {
  captured: { status: "captured", movements: 1 },
  failed: { status: "failed", movements: 0 },
  authorized: { status: "authorized", movements: 0 },
  refunded: { status: "refunded", movements: 2 },
};

async function create(dev: DevJson, token: string, capture: "automatic" | "manual"): Promise<string> {
  const answer = await apiCall(dev, "POST", "/v1/payments", {
    json: { amount: 4_250, currency: "usd", payment_method: { type: "card", token }, capture_method: capture },
    idempotencyKey: crypto.randomUUID(),
  });
  if (answer.status === 200 && typeof answer.json.id === "string") return answer.json.id;
  throw new Error(`BENCHMARK FAILED: a probe create answered ${answer.status} ${JSON.stringify(answer.json)}`);
}

async function declined(dev: DevJson, db: pg.Client, token: string): Promise<string> {
  const answer = await apiCall(dev, "POST", "/v1/payments", {
    json: { amount: 4_250, currency: "usd", payment_method: { type: "card", token }, capture_method: "automatic" },
    idempotencyKey: crypto.randomUUID(),
  });
  if (answer.status !== 402 && answer.status !== 200) {
    throw new Error(`BENCHMARK FAILED: the declined probe answered ${answer.status} ${JSON.stringify(answer.json)}`);
  }
  // The merchant is new: its one failed payment is this one.
  for (let tries = 0; tries < 200; tries++) {
    const { rows } = await db.query<{ id: string }>(
      "select id from payments where merchant_id = $1 and status = 'failed' limit 1",
      [dev.merchant_id],
    );
    if (rows[0]) return rows[0].id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("BENCHMARK FAILED: the declined probe never reached the projection");
}

/** Waits until the projection holds the payment in its final state with its movements. */
async function projected(db: pg.Client, id: string, kind: Kind): Promise<void> {
  const expected = EXPECTED[kind];
  for (let tries = 0; tries < 400; tries++) {
    const { rows } = await db.query<{ status: string; movements: number }>(
      `select status, (select count(*)::int from balance_transactions where payment_id = $1) as movements
       from payments where id = $1`,
      [id],
    );
    if (rows[0]?.status === expected.status && rows[0].movements === expected.movements) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`BENCHMARK FAILED: ${kind} probe ${id} never reached the projection as ${expected.status}`);
}

export async function makeProbes(dev: DevJson, db: pg.Client): Promise<Record<Kind, string>> {
  const good = await tokenizeCard(dev, "4242424242424242");
  const bad = await tokenizeCard(dev, "4000000000000002");
  const refunded = await create(dev, good, "automatic");
  const refund = await apiCall(dev, "POST", `/v1/payments/${refunded}/refund`, {
    json: {},
    idempotencyKey: crypto.randomUUID(),
  });
  if (refund.status !== 200) {
    throw new Error(`BENCHMARK FAILED: the refund probe answered ${refund.status} ${JSON.stringify(refund.json)}`);
  }
  const probes: Record<Kind, string> = {
    captured: await create(dev, good, "automatic"),
    failed: await declined(dev, db, bad),
    authorized: await create(dev, good, "manual"),
    refunded,
  };
  for (const [kind, id] of Object.entries(probes)) await projected(db, id, kind as Kind);
  return probes;
}
