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
 * The deliveries a queue batch names, each with the endpoint and event it joins, all three of one
 * mode: a row that paired a live event with a test endpoint (or the other way) is not found, so
 * it is never sent. One query for the whole batch (one per message was the delivery consumer's
 * round-trip cost, issue 17); keyed by delivery id, an id not found is absent.
 */
export async function loadDeliveries(db: Database, ids: string[]) {
  if (ids.length === 0) return new Map<string, LoadedDelivery>();
  const rows = await db
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
    .where(inArray(webhookDeliveries.id, [...new Set(ids)]));
  return new Map<string, LoadedDelivery>(rows.map((row) => [row.delivery.id, row]));
}

export interface LoadedDelivery {
  delivery: DeliveryRow;
  endpoint: typeof webhookEndpoints.$inferSelect;
  event: typeof events.$inferSelect;
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

/** One attempt to record: the delivery, how many attempts it had when this one was made, how it went. */
export interface MadeAttempt {
  deliveryId: string;
  attempt: number;
  outcome: AttemptOutcome;
}

/**
 * Records each attempt as attempt `attempt + 1` if its delivery still has `attempt` attempts
 * (compare and set): a second copy of the same queue message finds the count moved on and
 * records nothing. Returns the ids of the deliveries whose attempt counted. A whole queue batch
 * in one statement (the attempts are inserted from the update's own result), so it is atomic
 * without a transaction (the delivery consumer works its messages concurrently on one
 * connection, where transactions would share one session and commit or roll back each other's
 * statements) and costs one round trip, not one per message (issue 17). The consumer passes at
 * most one attempt per (delivery, attempt); two of one delivery at different counts cannot both
 * match its row.
 */
export async function recordAttempts(db: Database, attempts: MadeAttempt[]): Promise<Set<string>> {
  if (attempts.length === 0) return new Set();
  // Text cannot hold NUL (nor jsonb its escape): a receiver's answer may carry one.
  const text = (value: string | null) => value?.replaceAll("\u0000", "") ?? null;
  const input = attempts.map(({ deliveryId, attempt, outcome }) => ({
    delivery_id: deliveryId,
    attempt,
    status: outcome.status,
    status_code: outcome.statusCode,
    next_attempt_at: outcome.nextAttemptAt.toISOString(),
    latency_ms: outcome.latencyMs,
    response_excerpt: text(outcome.responseExcerpt),
    error: text(outcome.error),
  }));
  const result = await db.execute<{ delivery_id: string }>(sql`
    with made as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as m(
        delivery_id text, attempt integer, status text, status_code integer, next_attempt_at timestamptz,
        latency_ms integer, response_excerpt text, error text)),
    moved as (
      update ${webhookDeliveries} d
      set attempts = made.attempt + 1, status = made.status, last_status_code = made.status_code,
          next_attempt_at = made.next_attempt_at, updated_at = now()
      from made
      where d.id = made.delivery_id and d.attempts = made.attempt and d.status = 'pending'
      returning d.id, made.attempt, made.status_code, made.latency_ms, made.response_excerpt, made.error)
    insert into ${webhookDeliveryAttempts} (delivery_id, attempt, status_code, latency_ms, response_excerpt, error)
    select id, attempt + 1, status_code, latency_ms, response_excerpt, error
    from moved
    returning delivery_id`);
  return new Set(result.rows.map((row) => row.delivery_id));
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
