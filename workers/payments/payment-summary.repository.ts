import { sql } from "drizzle-orm";
import { payments } from "../../db/schema/index.js";
import type { PaymentCaller } from "../../durable-objects/payment/payment-record.js";
import type { Database } from "../db/database.js";

/** Statuses a processor approved, whatever came after (a capture, a refund, a void). */
const APPROVED_STATUSES = ["authorized", "captured", "partially_refunded", "refunded", "voided"] as const;

export interface SummaryRange {
  from: Date;
  /** Exclusive. */
  to: Date;
}

export interface PaymentSummaryRows {
  count: number;
  approved: number;
  declined: number;
  volume: { currency: string; captured: number; refunded: number }[];
  declines: { code: string; count: number }[];
  processors: { processor: string; count: number; approved: number; declined: number }[];
  days: { day: string; count: number }[];
}

type Row = {
  kind: "total" | "currency" | "decline" | "processor" | "day";
  key: string | null;
  count: string;
  approved: string;
  declined: string;
  captured: string;
  refunded: string;
};

/**
 * A merchant's payments in one mode created in `range`, summed in Postgres in one statement
 * (one round trip, one index range scan on `payments_merchant_created`): the totals, volume per
 * currency, declines by code, outcomes per processor and payments per UTC day. A payment counts
 * as decided once approved or `failed`; those still in flight count only in `count` and per day.
 */
export async function paymentSummary(
  db: Database,
  caller: PaymentCaller,
  range: SummaryRange,
): Promise<PaymentSummaryRows> {
  const approved = sql.join(
    APPROVED_STATUSES.map((status) => sql`${status}`),
    sql`, `,
  );
  const result = await db.execute<Row>(sql`
    with p as (
      select status, currency, amount_captured, amount_refunded, decline_code, processor, created_at,
        status in (${approved}) as is_approved, status = 'failed' as is_declined
      from ${payments}
      where merchant_id = ${caller.merchantId} and livemode = ${caller.livemode}
        and created_at >= ${range.from} and created_at < ${range.to}
    )
    select 'total' as kind, null as key, count(*) as count, count(*) filter (where is_approved) as approved,
      count(*) filter (where is_declined) as declined, 0 as captured, 0 as refunded from p
    union all
    select 'currency', currency, count(*), 0, 0, coalesce(sum(amount_captured), 0), coalesce(sum(amount_refunded), 0)
      from p where amount_captured > 0 group by currency
    union all
    select 'decline', coalesce(decline_code, 'unknown'), count(*), 0, 0, 0, 0
      from p where is_declined group by coalesce(decline_code, 'unknown')
    union all
    select 'processor', coalesce(processor, 'none'), count(*), count(*) filter (where is_approved),
      count(*) filter (where is_declined), 0, 0
      from p where is_approved or is_declined group by coalesce(processor, 'none')
    union all
    select 'day', to_char(created_at at time zone 'UTC', 'YYYY-MM-DD'), count(*), 0, 0, 0, 0
      from p group by to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`);
  const rows = result.rows;
  const of = (kind: Row["kind"]) => rows.filter((row) => row.kind === kind);
  const total = of("total")[0];
  // Most first; ties in name order, so the same data always lists the same way.
  const byCount = <T extends { count: number }>(items: T[], name: (item: T) => string) =>
    items.sort((a, b) => b.count - a.count || name(a).localeCompare(name(b)));
  return {
    count: Number(total?.count ?? 0),
    approved: Number(total?.approved ?? 0),
    declined: Number(total?.declined ?? 0),
    volume: of("currency")
      .map((row) => ({
        currency: (row.key ?? "").toLowerCase(),
        captured: Number(row.captured),
        refunded: Number(row.refunded),
      }))
      .sort((a, b) => b.captured - b.refunded - (a.captured - a.refunded) || a.currency.localeCompare(b.currency)),
    declines: byCount(
      of("decline").map((row) => ({ code: row.key ?? "unknown", count: Number(row.count) })),
      (entry) => entry.code,
    ),
    processors: byCount(
      of("processor").map((row) => ({
        processor: row.key ?? "none",
        count: Number(row.count),
        approved: Number(row.approved),
        declined: Number(row.declined),
      })),
      (entry) => entry.processor,
    ),
    days: of("day").map((row) => ({ day: row.key ?? "", count: Number(row.count) })),
  };
}
