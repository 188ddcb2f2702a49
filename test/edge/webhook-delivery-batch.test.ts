import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { connect } from "../../workers/db/database.js";
import {
  type AttemptOutcome,
  loadDeliveries,
  recordAttempts,
} from "../../workers/webhooks/webhook-deliveries.repository.js";
import { call, newMerchant } from "./support/api.js";
import { sql } from "./support/database.js";
import { deliver, transition } from "./support/projection.js";

let serial = 0;

/** `count` pending deliveries of one event to one fresh endpoint each, with `attempts` made. */
async function pendingDeliveries(count: number, attempts: number) {
  const { id: merchant, secretKey } = await newMerchant();
  await deliver([transition(merchant, `pay_batch_${Date.now()}_${++serial}`, 3, "captured", "authorized")]);
  const [event] = await sql<{ id: string }>("select id from events where merchant_id = $1", [merchant]);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const endpoint = await call("POST", "/v1/webhook_endpoints", {
      key: secretKey,
      body: { url: "http://127.0.0.1:9/hooks", enabled_events: ["payment.created"] },
    });
    const id = `whd_batch${++serial}${Date.now()}`;
    await sql(
      `insert into webhook_deliveries (id, merchant_id, livemode, event_id, endpoint_id, attempts, next_attempt_at)
       values ($1, $2, false, $3, $4, $5, now())`,
      [id, merchant, event!.id, endpoint.json.id, attempts],
    );
    ids.push(id);
  }
  return { ids, eventId: event!.id };
}

const outcome = (statusCode: number | null, status: AttemptOutcome["status"]): AttemptOutcome => ({
  statusCode,
  latencyMs: 12,
  responseExcerpt: statusCode === null ? null : "ok",
  error: statusCode === null ? "connection refused" : null,
  status,
  nextAttemptAt: new Date(Date.now() + 300_000),
});

describe("webhook deliveries, a batch at a time", () => {
  it("loads a batch's deliveries with their endpoints and events in one call, leaving out unknown ids", async () => {
    const { ids, eventId } = await pendingDeliveries(3, 0);
    const connection = await connect(env);
    try {
      const loaded = await loadDeliveries(connection.db, [...ids, ids[0]!, "whd_nothing"]);
      expect([...loaded.keys()].sort()).toEqual([...ids].sort());
      for (const id of ids) {
        expect(loaded.get(id)?.event.id).toBe(eventId);
        expect(loaded.get(id)?.endpoint.id).toBe(loaded.get(id)?.delivery.endpointId);
      }
    } finally {
      await connection.close();
    }
  });

  it("records a batch's attempts in one statement, each by its own compare-and-set", async () => {
    const { ids } = await pendingDeliveries(3, 1);
    const [succeeded, failing, stale] = ids as [string, string, string];
    const connection = await connect(env);
    try {
      const recorded = await recordAttempts(connection.db, [
        { deliveryId: succeeded, attempt: 1, outcome: outcome(200, "succeeded") },
        { deliveryId: failing, attempt: 1, outcome: { ...outcome(null, "pending"), responseExcerpt: "no\u0000pe" } },
        // A copy sent before the delivery's second attempt: its count has moved on.
        { deliveryId: stale, attempt: 0, outcome: outcome(200, "succeeded") },
      ]);
      expect([...recorded].sort()).toEqual([succeeded, failing].sort());
      // The same attempts again, as a redelivered batch would bring them: nothing counts twice.
      const again = await recordAttempts(connection.db, [
        { deliveryId: succeeded, attempt: 1, outcome: outcome(200, "succeeded") },
        { deliveryId: failing, attempt: 1, outcome: outcome(null, "pending") },
      ]);
      expect([...again]).toEqual([]);
    } finally {
      await connection.close();
    }
    const rows = await sql<{ id: string; status: string; attempts: number; last_status_code: number | null }>(
      "select id, status, attempts, last_status_code from webhook_deliveries where id = any($1) order by id",
      [ids],
    );
    expect(rows).toEqual(
      [
        { id: succeeded, status: "succeeded", attempts: 2, last_status_code: 200 },
        { id: failing, status: "pending", attempts: 2, last_status_code: null },
        { id: stale, status: "pending", attempts: 1, last_status_code: null },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    const attempts = await sql<{
      delivery_id: string;
      attempt: number;
      status_code: number | null;
      error: string | null;
    }>(
      "select delivery_id, attempt, status_code, error from webhook_delivery_attempts where delivery_id = any($1) order by delivery_id",
      [ids],
    );
    expect(attempts).toEqual(
      [
        { delivery_id: succeeded, attempt: 2, status_code: 200, error: null },
        { delivery_id: failing, attempt: 2, status_code: null, error: "connection refused" },
      ].sort((a, b) => a.delivery_id.localeCompare(b.delivery_id)),
    );
  });
});
