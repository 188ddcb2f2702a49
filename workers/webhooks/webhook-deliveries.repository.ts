import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { events, webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints } from "../../db/schema/index.js";
import { afterCursor } from "../db/cursor.js";
import type { Database } from "../db/database.js";

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookDeliveryAttempts.$inferSelect;

/** What the queue carries: which delivery, and how many attempts it had when this was sent. */
export interface DeliveryMessage {
  delivery_id: string;
  attempt: number;
}

/** Deliveries of these events not yet tried: what the projection hands to the delivery queue. */
export async function untriedDeliveries(db: Pick<Database, "select">, eventIds: string[]): Promise<DeliveryMessage[]> {
  if (eventIds.length === 0) return [];
  const rows = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        inArray(webhookDeliveries.eventId, eventIds),
        eq(webhookDeliveries.status, "pending"),
        eq(webhookDeliveries.attempts, 0),
      ),
    );
  return rows.map((row) => ({ delivery_id: row.id, attempt: 0 }));
}

/**
 * A delivery with the endpoint and event it joins, all three of one mode: a row that paired a live
 * event with a test endpoint (or the other way) is not found, so it is never sent.
 */
export async function loadDelivery(db: Database, id: string) {
  const [row] = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints, event: events })
    .from(webhookDeliveries)
    .innerJoin(
      webhookEndpoints,
      and(
        eq(webhookEndpoints.id, webhookDeliveries.endpointId),
        eq(webhookEndpoints.livemode, webhookDeliveries.livemode),
      ),
    )
    .innerJoin(events, and(eq(events.id, webhookDeliveries.eventId), eq(events.livemode, webhookDeliveries.livemode)))
    .where(eq(webhookDeliveries.id, id))
    .limit(1);
  return row;
}

export interface AttemptOutcome {
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
  /** The delivery's state after this attempt. */
  status: "pending" | "succeeded" | "failed";
  nextAttemptAt: Date;
}

/**
 * Records attempt `attempt + 1` if the delivery still has `attempt` attempts (compare and set):
 * a second copy of the same queue message finds the count moved on and records nothing. One
 * statement (the attempt is inserted from the update's own result), so it is atomic without a
 * transaction: the delivery consumer works its messages concurrently on one connection, where
 * transactions would share one session and commit or roll back each other's statements.
 */
export async function recordAttempt(db: Database, deliveryId: string, attempt: number, outcome: AttemptOutcome) {
  const result = await db.execute(sql`
    with moved as (
      update ${webhookDeliveries}
      set attempts = ${attempt + 1}, status = ${outcome.status}, last_status_code = ${outcome.statusCode},
          next_attempt_at = ${outcome.nextAttemptAt.toISOString()}::timestamptz, updated_at = now()
      where id = ${deliveryId} and attempts = ${attempt} and status = 'pending'
      returning id)
    insert into ${webhookDeliveryAttempts} (delivery_id, attempt, status_code, latency_ms, response_excerpt, error)
    select id, ${attempt + 1}, ${outcome.statusCode}, ${outcome.latencyMs}, ${outcome.responseExcerpt}, ${outcome.error}
    from moved`);
  return (result.rowCount ?? 0) > 0;
}

/** Ends a delivery without an attempt (its endpoint was disabled meanwhile). */
export async function abandonDelivery(db: Database, deliveryId: string, attempt: number) {
  await db
    .update(webhookDeliveries)
    .set({ status: "failed", updatedAt: new Date() })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.attempts, attempt)));
}

/**
 * `POST /v1/events/{id}/resend`: (re)opens a delivery of the event to each chosen endpoint, due
 * now. An endpoint that never had one gets one; a finished one is reopened and keeps its attempt
 * log. Only the event's merchant's endpoints of the event's mode count, whatever was asked.
 * Returns what to put on the queue.
 */
export async function reopenDeliveries(
  db: Database,
  event: { id: string; merchantId: string; livemode: boolean },
  endpointIds: string[],
): Promise<DeliveryMessage[]> {
  if (endpointIds.length === 0) return [];
  const result = await db.execute<{ id: string; attempts: number }>(sql`
    insert into webhook_deliveries (id, merchant_id, livemode, event_id, endpoint_id)
    select 'whd_' || replace(gen_random_uuid()::text, '-', ''), we.merchant_id, we.livemode, ${event.id}, we.id
    from webhook_endpoints we
    where we.id = any(${sql.param(endpointIds)}::text[])
      and we.merchant_id = ${event.merchantId}
      and we.livemode = ${event.livemode}
    on conflict (event_id, endpoint_id) do update
      set status = 'pending', next_attempt_at = now(), updated_at = now()
    returning id, attempts`);
  return result.rows.map((row) => ({ delivery_id: row.id, attempt: Number(row.attempts) }));
}

/** A page of one endpoint's deliveries, newest first, each with its attempts. */
export async function listDeliveries(db: Database, endpointId: string, limit: number, startingAfter?: string) {
  const rows = await db
    .select({ delivery: webhookDeliveries, type: events.type })
    .from(webhookDeliveries)
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        afterCursor(webhookDeliveries, webhookDeliveries, startingAfter, [[webhookDeliveries.endpointId, endpointId]]),
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit + 1);
  const ids = rows.map((row) => row.delivery.id);
  const attempts =
    ids.length === 0
      ? []
      : await db
          .select()
          .from(webhookDeliveryAttempts)
          .where(inArray(webhookDeliveryAttempts.deliveryId, ids))
          .orderBy(webhookDeliveryAttempts.attempt);
  return { rows, attempts };
}
