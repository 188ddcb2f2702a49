import { and, desc, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import { newId } from "../../common/ids.js";
import type { Owner } from "../../common/owner.js";
import { events } from "../../db/schema/index.js";
import { afterCursor } from "../db/cursor.js";
import type { Database } from "../db/database.js";
import { insertRecordset } from "../db/recordset.js";
import type { NewEvent } from "./payment-message-events.js";

export type EventRow = typeof events.$inferSelect;
type Writer = Pick<Database, "insert" | "select" | "execute">;
/** Whose events: one merchant's, in one mode (DESIGN invariant 6: the other mode's are not found). */

/** An event as its row, with a new id (kept only if the event was not stored before). */
function eventRow(event: NewEvent): typeof events.$inferInsert {
  return {
    id: newId("event"),
    merchantId: event.merchantId,
    livemode: event.livemode,
    type: event.type,
    objectId: event.objectId,
    objectVersion: event.objectVersion,
    data: event.data,
    createdAt: event.createdAt,
  };
}

/**
 * Stores events once, whatever the redelivery (unique on object, version and type), and opens
 * a delivery for every enabled endpoint of the merchant, in the event's mode, subscribed to each
 * event's type (unique on event and endpoint). Returns the events' ids, stored now or before.
 */
export async function recordEvents(tx: Writer, newEvents: NewEvent[]): Promise<string[]> {
  if (newEvents.length === 0) return [];
  await tx
    .insert(events)
    .values(newEvents.map(eventRow))
    .onConflictDoNothing({ target: [events.objectId, events.objectVersion, events.type] });
  const stored = await tx
    .select({ id: events.id })
    .from(events)
    .where(
      sql`(${events.objectId}, ${events.objectVersion}, ${events.type}) in (${sql.join(
        newEvents.map((event) => sql`(${event.objectId}, ${event.objectVersion}, ${event.type})`),
        sql`, `,
      )})`,
    );
  const ids = stored.map((row) => row.id);
  await openDeliveries(tx, ids);
  return ids;
}

/**
 * A delivery per (event, subscribed enabled endpoint that existed when the event happened), in
 * the event's mode only: a live payment's details never go to a test endpoint, nor the other way.
 */
async function openDeliveries(tx: Writer, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await tx.execute(
    subscribedDeliveries(
      sql`(select id, merchant_id, livemode, type, created_at from events where id = any(${sql.param(eventIds)}::text[]))`,
    ),
  );
}

/**
 * The rule that opens deliveries, over any relation of events (`id, merchant_id, livemode, type,
 * created_at`): one rule, whether the events are read back from the table or are the rows a
 * statement has just inserted (which that statement cannot read back).
 */
function subscribedDeliveries(eventRows: SQL): SQL {
  return sql`
    insert into webhook_deliveries (id, merchant_id, livemode, event_id, endpoint_id)
    select 'whd_' || replace(gen_random_uuid()::text, '-', ''), e.merchant_id, e.livemode, e.id, we.id
    from ${eventRows} e
    join webhook_endpoints we on we.merchant_id = e.merchant_id and we.livemode = e.livemode
    where we.status = 'enabled'
      and we.created_at <= e.created_at
      and (e.type = any(we.enabled_events) or '*' = any(we.enabled_events))
    on conflict (event_id, endpoint_id) do nothing`;
}

/**
 * `recordEvents` as parts of one statement (data-modifying CTEs, see `applyPaymentEvents`): the
 * events stored once, the deliveries opened, and as the statement's result the ids of the
 * deliveries of these events not yet tried, opened now (returned by the insert) or by an earlier
 * copy of the same events (read from the table: within one statement its own inserts are not
 * visible, so the two halves never name the same row). The caller puts them on the queue.
 * Both reads go through an index whatever the tables' size: the events by `object_id = any(...)`
 * (joined to a recordset alone, Postgres guesses 100 keys and hashes the whole table), the
 * deliveries by `event_id = any(array(...))` (joined to the CTE, it scans them).
 */
export function eventsWithDeliveries(newEvents: NewEvent[]): { ctes: { name: string; statement: SQL }[]; select: SQL } {
  if (newEvents.length === 0) return { ctes: [], select: sql`select null::text as id where false` };
  const keys = JSON.stringify(
    newEvents.map((event) => ({ object_id: event.objectId, object_version: event.objectVersion, type: event.type })),
  );
  return {
    ctes: [
      {
        name: "new_events",
        statement: sql`${insertRecordset(events, newEvents.map(eventRow))}
          on conflict (object_id, object_version, type) do nothing
          returning id, merchant_id, livemode, type, created_at`,
      },
      {
        name: "batch_events",
        statement: sql`
          select id, merchant_id, livemode, type, created_at from new_events
          union all
          select e.id, e.merchant_id, e.livemode, e.type, e.created_at
          from events e
          join jsonb_to_recordset(${keys}::jsonb) as k(object_id text, object_version integer, type text)
            on e.object_id = k.object_id and e.object_version = k.object_version and e.type = k.type
          where e.object_id = any(${sql.param([...new Set(newEvents.map((event) => event.objectId))])}::text[])`,
      },
      { name: "opened", statement: sql`${subscribedDeliveries(sql`batch_events`)} returning id` },
    ],
    select: sql`
      select id from opened
      union
      select d.id from webhook_deliveries d
      where d.event_id = any(array(select id from batch_events)) and d.status = 'pending' and d.attempts = 0`,
  };
}

export interface EventFilter {
  owner: Owner;
  type?: string;
  createdFrom?: Date;
  createdTo?: Date;
  limit: number;
  startingAfter?: string;
}

/** A page of a merchant's events in one mode, newest first (the cursor compared in SQL, like payments). */
export async function listEvents(db: Database, filter: EventFilter): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(
      and(
        eq(events.merchantId, filter.owner.merchantId),
        eq(events.livemode, filter.owner.livemode),
        filter.type ? eq(events.type, filter.type) : undefined,
        filter.createdFrom ? gte(events.createdAt, filter.createdFrom) : undefined,
        filter.createdTo ? lte(events.createdAt, filter.createdTo) : undefined,
        afterCursor(events, events, filter.startingAfter, [
          [events.merchantId, filter.owner.merchantId],
          [events.livemode, filter.owner.livemode],
        ]),
      ),
    )
    .orderBy(desc(events.createdAt), desc(events.id))
    .limit(filter.limit + 1);
}

export async function findEvent(db: Database, owner: Owner, id: string): Promise<EventRow | undefined> {
  const [row] = await db
    .select()
    .from(events)
    .where(and(eq(events.id, id), eq(events.merchantId, owner.merchantId), eq(events.livemode, owner.livemode)))
    .limit(1);
  return row;
}
