import type pg from "pg";
import type { DevJson } from "../../test/support/running-stack.js";

/**
 * The plans of the list route's page queries (workers/payments/payments.repository.ts
 * `listPayments`, as drizzle writes them) for the bench merchant, with what each read
 * (`EXPLAIN (ANALYZE, BUFFERS)`): a plan that filters rows it scanned, where it could have sought
 * them, is a cost that grows with the data.
 */
export async function explainLists(
  db: pg.Client,
  dev: DevJson,
  cursor: string,
  window: { from: number; to: number },
): Promise<string> {
  const scope = "merchant_id = $1 and livemode = false";
  const page = "order by created_at desc, id desc limit 11";
  const queries: [string, string, unknown[]][] = [
    ["first page", `select * from payments where ${scope} ${page}`, [dev.merchant_id]],
    [
      "deep page",
      `select * from payments where ${scope} and (created_at, id) < (select created_at, id from payments
       where id = $2 and merchant_id = $1 and livemode = false) ${page}`,
      [dev.merchant_id, cursor],
    ],
    ["status", `select * from payments where ${scope} and status = 'refunded' ${page}`, [dev.merchant_id]],
    ["status none has", `select * from payments where ${scope} and status = 'expired' ${page}`, [dev.merchant_id]],
    [
      "created window",
      `select * from payments where ${scope} and created_at >= $2 and created_at <= $3 ${page}`,
      [dev.merchant_id, new Date(window.from * 1000), new Date(window.to * 1000)],
    ],
  ];
  return explained(db, queries);
}

/**
 * The projection's reads (workers/payments/payment-projection.repository.ts's one statement and
 * events.repository.ts eventsWithDeliveries, as they read inside it) for the bench merchant's
 * newest events: its writes are upserts on unique indexes, whose conflict checks are index probes
 * by construction; these are the parts that could scan.
 */
export async function explainProjection(db: pg.Client, dev: DevJson): Promise<string> {
  const { rows } = await db.query<{ id: string; object_id: string; object_version: number; type: string }>(
    "select id, object_id, object_version, type from events where merchant_id = $1 order by created_at desc limit 3",
    [dev.merchant_id],
  );
  const keys = JSON.stringify(rows.map(({ object_id, object_version, type }) => ({ object_id, object_version, type })));
  const ids = rows.map((row) => row.id);
  return explained(db, [
    [
      "eventsWithDeliveries: the events stored before (batch_events' second half)",
      `select e.id from events e
       join jsonb_to_recordset($1::jsonb) as k(object_id text, object_version integer, type text)
         on e.object_id = k.object_id and e.object_version = k.object_version and e.type = k.type
       where e.object_id = any($2::text[])`,
      [keys, [...new Set(rows.map((row) => row.object_id))]],
    ],
    [
      "subscribedDeliveries: the deliveries to open",
      `select e.id, we.id from events e join webhook_endpoints we on we.merchant_id = e.merchant_id
       and we.livemode = e.livemode where e.id = any($1::text[]) and we.status = 'enabled'
       and we.created_at <= e.created_at and (e.type = any(we.enabled_events) or '*' = any(we.enabled_events))`,
      [ids],
    ],
    [
      "eventsWithDeliveries: the untried deliveries to hand over",
      `select d.id from webhook_deliveries d
       where d.event_id = any(array(select unnest($1::text[]))) and d.status = 'pending' and d.attempts = 0`,
      [ids],
    ],
    [
      "merchantTerms",
      "select id, country, settlement_config from merchants where id = any($1::text[])",
      [[dev.merchant_id]],
    ],
  ]);
}

async function explained(db: pg.Client, queries: [string, string, unknown[]][]): Promise<string> {
  let out = "";
  for (const [name, text, values] of queries) {
    const { rows } = await db.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${text}`, values);
    out += `\n-- ${name}\n${rows.map((row) => row["QUERY PLAN"]).join("\n")}\n`;
  }
  return out;
}
