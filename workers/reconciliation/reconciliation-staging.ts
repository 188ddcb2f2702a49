import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { type Compared, type FileLine, type GatewayRow, lineKey } from "./reconciliation-matcher.js";

/** The run's transaction: the staging tables are its own and are dropped with it. */
export type Staging = Pick<Database, "execute">;

/** Which movements: one processor's, in one mode, on one UTC day. */
export interface Scope {
  processor: string;
  livemode: boolean;
  day: string;
}

/**
 * Both sides of the day go into temporary tables of the run's transaction (dropped at its end,
 * nothing kept but the exceptions), so Postgres pairs them by key and the Worker never holds a
 * whole day: the file's lines as they stream in, the gateway's movements in one statement.
 */
export async function createStaging(tx: Staging): Promise<void> {
  // A day's sorts (numbering the movements, pairing both sides by key) in memory rather than
  // spilled to disk: for this transaction only (bench:settlement measured the spill at 1M lines).
  await tx.execute(sql`set local work_mem = '256MB'`);
  await tx.execute(sql`
    create temporary table recon_lines (
      line_no bigint not null, key text not null, kind text not null, reference text not null, payment_reference text,
      amount bigint not null, currency text not null, fee bigint, auth_code text, booked_at text
    ) on commit drop`);
  await tx.execute(sql`
    create temporary table recon_rows (
      row_no bigint not null, key text not null, kind text not null, reference text, payment_reference text,
      source_id text not null, payment_id text, merchant_id text not null, amount bigint not null,
      currency text not null, fee bigint not null, auth_code text
    ) on commit drop`);
}

/** A page of the file's lines, as one statement of arrays (unnest), whatever its length. */
export async function stageLines(tx: Staging, lines: readonly FileLine[]): Promise<void> {
  if (lines.length === 0) return;
  const column = <T>(pick: (line: FileLine) => T) => sql.param(lines.map(pick));
  await tx.execute(sql`
    insert into recon_lines
    select * from unnest(
      ${column((l) => l.lineNo)}::bigint[], ${column(lineKey)}::text[], ${column((l) => l.kind)}::text[],
      ${column((l) => l.reference)}::text[], ${column((l) => l.paymentReference)}::text[], ${column((l) => l.amount)}::bigint[],
      ${column((l) => l.currency)}::text[], ${column((l) => l.fee)}::bigint[], ${column((l) => l.authCode)}::text[],
      ${column((l) => l.bookedAt)}::text[])`);
}

/**
 * The gateway's side: every capture and refund the day's balance transactions booked at the
 * processor in the mode, with the payment's processor reference, its key in the processor's
 * files (`paymentReference`, an SQL expression over the payment `p`: report-layouts.ts; a refund
 * is keyed by its payment's) and, for a capture, the approval code of the attempt that reference
 * names (a refund's own approval, where a processor gives one, the gateway does not keep). Returns
 * how many. The key is built as `rowKey` builds it (reconciliation-matcher.ts).
 */
export async function stageGatewayRows(tx: Staging, scope: Scope, paymentReference: SQL): Promise<number> {
  const from = `${scope.day}T00:00:00.000Z`;
  const result = await tx.execute(sql`
    insert into recon_rows
    select
      row_number() over (order by bt.created_at, bt.id),
      case when keyed.reference is not null
        then (case bt.type when 'charge' then 'D:' else 'C:' end) || keyed.reference
        else 'row:' || bt.source_id end,
      bt.type, p.processor_reference, keyed.reference, bt.source_id, bt.payment_id, bt.merchant_id, abs(bt.amount),
      bt.currency, bt.fee, case bt.type when 'charge' then attempt.auth_code end
    from balance_transactions bt
    left join payments p on p.id = bt.payment_id
    cross join lateral (select ${paymentReference} as reference) keyed
    left join lateral (
      select pa.auth_code from payment_attempts pa
      where pa.payment_id = p.id and pa.processor = p.processor and pa.processor_reference = p.processor_reference
      order by pa.sequence desc limit 1
    ) attempt on true
    where bt.processor = ${scope.processor} and bt.livemode = ${scope.livemode}
      and bt.type in ('charge', 'refund')
      and bt.created_at >= ${from}::timestamptz and bt.created_at < ${from}::timestamptz + interval '1 day'`);
  return result.rowCount ?? 0;
}

/** One side's entry as the pairing cursor gives it. */
export type Paired = { key: string } & ({ side: "file"; line: FileLine } | { side: "gateway"; row: GatewayRow });

type PairRow = {
  key: string;
  side: number;
  ord: string;
  kind: "charge" | "refund";
  reference: string | null;
  payment_reference: string | null;
  source_id: string | null;
  payment_id: string | null;
  merchant_id: string | null;
  amount: string;
  currency: string;
  fee: string | null;
  auth_code: string | null;
  booked_at: string | null;
};

/**
 * The day's plain case settled in Postgres: a key with exactly one line and one movement that
 * agree (amount, currency, the fee and approval code where the layout compares them and both
 * sides have one) is what `matchGroup` would call `matched`, so it is counted here and never
 * streamed to the Worker (a million-line day is mostly this). Returns how many; `openPairs`
 * leaves them out. Whatever is not this plain goes through `matchGroup`, which stays the rule.
 */
export async function settleExactPairs(tx: Staging, compared: Compared): Promise<number> {
  // Temporary tables have no statistics until analyzed: without them the planner takes a day's
  // million keys for a handful and joins them in nested loops (bench:settlement: minutes).
  await tx.execute(sql`analyze recon_lines, recon_rows`);
  const result = await tx.execute(sql`
    create temporary table recon_settled on commit drop as
    select l.key
    from (select key, min(amount) as amount, min(currency) as currency, min(fee) as fee, min(auth_code) as auth_code
          from recon_lines group by key having count(*) = 1) l
    join (select key, min(amount) as amount, min(currency) as currency, min(fee) as fee, min(auth_code) as auth_code
          from recon_rows group by key having count(*) = 1) r on r.key = l.key
    where l.amount = r.amount and l.currency = r.currency
      ${compared.fee ? sql`and (l.fee is null or l.fee = r.fee)` : sql``}
      ${compared.authCode ? sql`and (l.auth_code is null or r.auth_code is null or l.auth_code = r.auth_code)` : sql``}`);
  await tx.execute(sql`create unique index on recon_settled (key)`);
  await tx.execute(sql`analyze recon_settled`);
  return result.rowCount ?? 0;
}

/** Both sides in one stream ordered by key (byte order), the file's lines first in each key; settled keys left out. */
export async function openPairs(tx: Staging): Promise<void> {
  await tx.execute(sql`
    declare recon_pairs no scroll cursor for
      select key collate "C" as key, 0 as side, line_no as ord, kind, reference, payment_reference,
             null::text as source_id, null::text as payment_id, null::text as merchant_id, amount, currency, fee,
             auth_code, booked_at
      from recon_lines l where not exists (select 1 from recon_settled s where s.key = l.key)
      union all
      select key collate "C", 1, row_no, kind, reference, payment_reference, source_id, payment_id, merchant_id,
             amount, currency, fee, auth_code, null
      from recon_rows r where not exists (select 1 from recon_settled s where s.key = r.key)
      order by 1, 2, 3`);
}

/** The next `count` entries of the stream (fewer at its end). */
export async function nextPairs(tx: Staging, count: number): Promise<Paired[]> {
  const result = await tx.execute<PairRow>(sql.raw(`fetch forward ${Math.trunc(count)} from recon_pairs`));
  return result.rows.map((row): Paired => {
    const amount = Number(row.amount);
    const fee = row.fee === null ? null : Number(row.fee);
    if (row.side === 0) {
      return {
        key: row.key,
        side: "file",
        line: {
          lineNo: Number(row.ord),
          kind: row.kind,
          reference: row.reference ?? "",
          paymentReference: row.payment_reference,
          amount,
          currency: row.currency,
          fee,
          authCode: row.auth_code,
          bookedAt: row.booked_at,
        },
      };
    }
    return {
      key: row.key,
      side: "gateway",
      row: {
        kind: row.kind,
        sourceId: row.source_id ?? "",
        paymentId: row.payment_id,
        merchantId: row.merchant_id ?? "",
        reference: row.reference,
        paymentReference: row.payment_reference,
        amount,
        currency: row.currency.trim(),
        fee: fee ?? 0,
        authCode: row.auth_code,
      },
    };
  });
}
