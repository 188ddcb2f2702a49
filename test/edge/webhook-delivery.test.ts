import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { connect } from "../../workers/db/database.js";
import worker from "../../workers/index.js";
import { type DeliveryMessage, reopenDeliveries } from "../../workers/webhooks/webhook-deliveries.repository.js";
import { call, liveSecretKey, newMerchant } from "./support/api.js";
import { sql } from "./support/database.js";
import { deliver, transition } from "./support/projection.js";

let serial = 0;

async function consume(messages: DeliveryMessage[]) {
  const batch = createMessageBatch<DeliveryMessage>(
    "webhook-delivery",
    messages.map((body) => ({ id: `d${++serial}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await (worker.queue as ExportedHandlerQueueHandler<Env>)(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

/** A delivery row for an existing event and a fresh endpoint, with no queue message behind it. */
async function quietDelivery(nextAttemptAt: string, attempts = 0) {
  const { id: merchant, secretKey } = await newMerchant();
  await deliver([transition(merchant, `pay_quiet_${Date.now()}_${++serial}`, 3, "captured", "authorized")]);
  const endpoint = await call("POST", "/v1/webhook_endpoints", {
    key: secretKey,
    body: { url: "http://127.0.0.1:9/hooks", enabled_events: ["*"] },
  });
  const [event] = await sql<{ id: string }>("select id from events where merchant_id = $1", [merchant]);
  const id = `whd_quiet${++serial}${Date.now()}`;
  await sql(
    `insert into webhook_deliveries (id, merchant_id, livemode, event_id, endpoint_id, attempts, next_attempt_at)
     values ($1, $2, false, $3, $4, $5, $6)`,
    [id, merchant, event!.id, endpoint.json.id, attempts, nextAttemptAt],
  );
  return id;
}

describe("webhook-delivery consumer", () => {
  it("puts back a message that arrives before its attempt is due (waits longer than a queue delay)", async () => {
    const id = await quietDelivery(new Date(Date.now() + 20 * 3600 * 1000).toISOString());
    const result = await consume([{ delivery_id: id, attempt: 0 }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await sql("select status, attempts from webhook_deliveries where id = $1", [id])).toEqual([
      { status: "pending", attempts: 0 },
    ]);
    expect(await sql("select 1 from webhook_delivery_attempts where delivery_id = $1", [id])).toEqual([]);
  });

  it("ignores a stale copy: a message for an attempt already made does nothing", async () => {
    const id = await quietDelivery(new Date().toISOString(), 2);
    const result = await consume([{ delivery_id: id, attempt: 1 }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await sql("select status, attempts from webhook_deliveries where id = $1", [id])).toEqual([
      { status: "pending", attempts: 2 },
    ]);
    expect(await sql("select 1 from webhook_delivery_attempts where delivery_id = $1", [id])).toEqual([]);
  });

  it("records each of a batch's concurrent attempts once, on its own delivery, including stale copies beside them", async () => {
    // The consumer works a batch's messages concurrently on one connection: each attempt is
    // recorded once, on its own delivery, and the stale copies beside them record nothing.
    const ids = await Promise.all(Array.from({ length: 6 }, () => quietDelivery(new Date().toISOString(), 1)));
    const stale = ids.map((id) => ({ delivery_id: id, attempt: 0 }));
    const result = await consume([...ids.map((id) => ({ delivery_id: id, attempt: 1 })), ...stale]);
    expect(result.explicitAcks).toHaveLength(12);
    const rows = await sql<{ id: string; attempts: number; status: string; recorded: string }>(
      `select d.id, d.attempts, d.status, count(a.id)::text as recorded
       from webhook_deliveries d left join webhook_delivery_attempts a on a.delivery_id = d.id
       where d.id = any($1) group by d.id order by d.id`,
      [ids],
    );
    expect(rows).toEqual([...ids].sort().map((id) => ({ id, attempts: 2, status: "pending", recorded: "1" })));
  });

  it("records a failed attempt and schedules the next, or fails the delivery after the last", async () => {
    const id = await quietDelivery(new Date().toISOString());
    await consume([{ delivery_id: id, attempt: 0 }]);
    const [after] = await sql<{ status: string; attempts: number; next_attempt_at: Date }>(
      "select status, attempts, next_attempt_at from webhook_deliveries where id = $1",
      [id],
    );
    expect(after).toMatchObject({ status: "pending", attempts: 1 });
    expect(new Date(after!.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 4_000); // 5 s + jitter
    const [attempt] = await sql<{ attempt: number; status_code: number | null; error: string | null }>(
      "select attempt, status_code, error from webhook_delivery_attempts where delivery_id = $1",
      [id],
    );
    expect(attempt).toMatchObject({ attempt: 1, status_code: null });
    expect(attempt?.error).toBeTruthy();

    const last = await quietDelivery(new Date().toISOString(), 9); // the 10th attempt is the last
    await consume([{ delivery_id: last, attempt: 9 }]);
    expect(await sql("select status, attempts from webhook_deliveries where id = $1", [last])).toEqual([
      { status: "failed", attempts: 10 },
    ]);
  });

  it("never sends a delivery that pairs an event of one mode with an endpoint of the other", async () => {
    const { id: merchant } = await newMerchant();
    const live = await liveSecretKey(merchant);
    const endpoint = await call("POST", "/v1/webhook_endpoints", {
      key: live.secret,
      body: { url: "http://127.0.0.1:9/hooks", enabled_events: ["*"] },
    });
    expect(endpoint.json.livemode).toBe(true);
    await deliver([transition(merchant, `pay_crossed_${Date.now()}`, 3, "captured", "authorized")]);
    const [event] = await sql<{ id: string }>("select id from events where merchant_id = $1", [merchant]);
    // As a bug would write it: a test event's delivery to the live endpoint.
    const id = `whd_crossed${++serial}${Date.now()}`;
    await sql(
      `insert into webhook_deliveries (id, merchant_id, livemode, event_id, endpoint_id, attempts, next_attempt_at)
       values ($1, $2, false, $3, $4, 0, now())`,
      [id, merchant, event!.id, endpoint.json.id],
    );
    const result = await consume([{ delivery_id: id, attempt: 0 }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await sql("select 1 from webhook_delivery_attempts where delivery_id = $1", [id])).toEqual([]);
    expect(await sql("select status, attempts from webhook_deliveries where id = $1", [id])).toEqual([
      { status: "pending", attempts: 0 },
    ]);
  });

  it("reopens an event's deliveries only to endpoints of its merchant and mode, whatever it is handed", async () => {
    const { id: merchant, secretKey } = await newMerchant();
    const live = await liveSecretKey(merchant);
    const other = await newMerchant();
    const register = async (key: string) =>
      (
        await call("POST", "/v1/webhook_endpoints", {
          key,
          body: { url: "http://127.0.0.1:9/hooks", enabled_events: ["*"] },
        })
      ).json.id as string;
    const liveEndpoint = await register(live.secret);
    const testEndpoint = await register(secretKey);
    const othersEndpoint = await register((await liveSecretKey(other.id)).secret);
    const pay = `pay_reopen_${Date.now()}`;
    await deliver([transition(merchant, pay, 3, "captured", "authorized", true)]);
    const [event] = await sql<{ id: string; merchant_id: string; livemode: boolean }>(
      "select id, merchant_id, livemode from events where object_id = $1",
      [pay],
    );
    const connection = await connect(env);
    try {
      const reopened = await reopenDeliveries(
        connection.db,
        { id: event!.id, merchantId: event!.merchant_id, livemode: event!.livemode },
        [liveEndpoint, testEndpoint, othersEndpoint],
      );
      expect(reopened).toHaveLength(1);
    } finally {
      await connection.close();
    }
    expect(
      await sql("select endpoint_id, livemode from webhook_deliveries where event_id = $1 order by endpoint_id", [
        event!.id,
      ]),
    ).toEqual([{ endpoint_id: liveEndpoint, livemode: true }]);
  });
});
