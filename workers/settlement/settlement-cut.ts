import { and, asc, eq, gt, lt, or, sql } from "drizzle-orm";
import { sha256Hex } from "../../common/sha256-hex.js";
import { balanceTransactions } from "../../db/schema/balance-transactions.js";
import { settlements } from "../../db/schema/settlements.js";
import type { Database } from "../db/database.js";
import { recordEvents } from "../events/events.repository.js";
import type { NewEvent } from "../events/payment-message-events.js";
import { R2StreamWriter } from "./r2-stream-writer.js";
import { SETTLEMENT_CSV_HEADER, settlementCsvLine, settlementJsonItem } from "./settlement-files.js";

/** Rows read per query while a batch is written: the cut's memory is one page, whatever the day's size. */
const PAGE = 2_000;

/** Which batch: one merchant's movements in one mode and currency, for one business day (UTC). */
export interface CutKey {
  merchantId: string;
  livemode: boolean;
  currency: string;
  /** YYYY-MM-DD. */
  day: string;
}

export type SettlementRow = typeof settlements.$inferSelect;

/** A cut's outcome: the batch (null: nothing was pending), and the events it recorded now (none when it was cut before). */
export interface Cut {
  settlement: SettlementRow | null;
  eventIds: string[];
}

/** The batch's id, from its key: the same day cut twice is the same batch. */
export async function settlementId(key: CutKey): Promise<string> {
  const digest = await sha256Hex(`${key.merchantId}|${key.livemode ? "live" : "test"}|${key.currency}|${key.day}`);
  return `st_${digest.slice(0, 32)}`;
}

/** Where the batch's files go in the settlements bucket. */
export function settlementKeys(key: CutKey, id: string) {
  const base = `settlements/${key.livemode ? "live" : "test"}/${key.merchantId}/${key.currency}/${key.day}/${id}`;
  return { csv: `${base}.csv`, json: `${base}.json` };
}

/** YYYY-MM-DD plus `days`. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

interface Totals {
  count: number;
  amount: number;
  fee: number;
  net: number;
}

/**
 * Cuts one settlement batch (issue 16 item 2): every movement of the key's merchant, mode and
 * currency still pending and made before `boundary` (the day's cut-off, or now for a cut made
 * during the day), oldest first. The files go to R2 first, streamed page by page; then one
 * Postgres transaction writes the batch, moves exactly those movements to paid, and records
 * `settlement.created` and `settlement.paid`. The transaction checks that what it moves is what
 * the files list (count and sums): a movement projected meanwhile fails the check, the
 * transaction rolls back, and the cut is retried, so no batch is ever half-written. Cutting a key
 * already cut returns that batch; a day with no pending movement gives none (null).
 */
export async function cutSettlement(
  db: Database,
  bucket: R2Bucket,
  key: CutKey,
  boundary: Date,
  payoutDelayDays: number,
): Promise<Cut> {
  const id = await settlementId(key);
  const [existing] = await db.select().from(settlements).where(eq(settlements.id, id));
  if (existing) return { settlement: existing, eventIds: [] };
  const scope = and(
    eq(balanceTransactions.merchantId, key.merchantId),
    eq(balanceTransactions.livemode, key.livemode),
    eq(balanceTransactions.currency, key.currency),
    eq(balanceTransactions.status, "pending"),
    lt(balanceTransactions.createdAt, boundary),
  );
  const paths = settlementKeys(key, id);
  const metadata = { settlement: id, merchant: key.merchantId, day: key.day };
  const csv = new R2StreamWriter(bucket, paths.csv, "text/csv; charset=utf-8", metadata);
  const json = new R2StreamWriter(bucket, paths.json, "application/json", metadata);
  const totals: Totals = { count: 0, amount: 0, fee: 0, net: 0 };
  try {
    await csv.write(SETTLEMENT_CSV_HEADER);
    await json.write(`{"settlement":${JSON.stringify(id)},"transactions":[`);
    let after: { createdAt: Date; id: string } | null = null;
    for (;;) {
      const page: (typeof balanceTransactions.$inferSelect)[] = await db
        .select()
        .from(balanceTransactions)
        .where(
          after
            ? and(
                scope,
                or(
                  gt(balanceTransactions.createdAt, after.createdAt),
                  and(eq(balanceTransactions.createdAt, after.createdAt), gt(balanceTransactions.id, after.id)),
                ),
              )
            : scope,
        )
        .orderBy(asc(balanceTransactions.createdAt), asc(balanceTransactions.id))
        .limit(PAGE);
      // One write per file per page, not per row: each write is a hash update and a buffer copy.
      let csvPage = "";
      let jsonPage = "";
      for (const row of page) {
        csvPage += settlementCsvLine(row);
        jsonPage += `${totals.count === 0 ? "" : ","}${settlementJsonItem(row)}`;
        totals.count += 1;
        totals.amount += row.amount;
        totals.fee += row.fee;
        totals.net += row.net;
      }
      await Promise.all([csv.write(csvPage), json.write(jsonPage)]);
      const last = page.at(-1);
      if (!last || page.length < PAGE) break;
      after = { createdAt: last.createdAt, id: last.id };
    }
    if (totals.count === 0) {
      await Promise.all([csv.abort(), json.abort()]);
      return { settlement: null, eventIds: [] };
    }
    const payoutOn = addDays(key.day, payoutDelayDays);
    await json.write(
      `],"merchant":${JSON.stringify(key.merchantId)},"livemode":${key.livemode},"currency":${JSON.stringify(
        key.currency.toLowerCase(),
      )},"day":"${key.day}","payout_on":"${payoutOn}","transaction_count":${totals.count},"amount":${totals.amount},"fee":${totals.fee},"net":${totals.net}}\n`,
    );
    const [csvFile, jsonFile] = await Promise.all([csv.close(), json.close()]);
    return await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(settlements)
        .values({
          id,
          merchantId: key.merchantId,
          livemode: key.livemode,
          currency: key.currency,
          day: key.day,
          payoutOn,
          transactionCount: totals.count,
          amount: totals.amount,
          fee: totals.fee,
          net: totals.net,
          fileKey: csvFile.key,
          fileSha256: csvFile.sha256,
          jsonKey: jsonFile.key,
          jsonSha256: jsonFile.sha256,
        })
        .onConflictDoNothing({ target: settlements.id })
        .returning();
      if (!created) {
        // Cut meanwhile by another run (the same files, the same key): that batch stands.
        const [other] = await tx.select().from(settlements).where(eq(settlements.id, id));
        return { settlement: other ?? null, eventIds: [] };
      }
      const [moved] = await tx
        .execute<{ count: string; amount: string; fee: string; net: string }>(sql`
        with moved as (
          update ${balanceTransactions} set status = 'paid', settlement_id = ${id}
          where ${scope} returning amount, fee, net)
        select count(*) as count, coalesce(sum(amount), 0) as amount, coalesce(sum(fee), 0) as fee,
               coalesce(sum(net), 0) as net from moved`)
        .then((result) => result.rows);
      const same =
        Number(moved?.count) === totals.count &&
        Number(moved?.amount) === totals.amount &&
        Number(moved?.fee) === totals.fee &&
        Number(moved?.net) === totals.net;
      if (!same) throw new SettlementDrift(id);
      return { settlement: created, eventIds: await recordEvents(tx, settlementEvents(created)) };
    });
  } catch (error) {
    await Promise.all([csv.abort(), json.abort()]);
    throw error;
  }
}

/** Movements changed between writing a batch's files and moving them: the cut is retried. */
export class SettlementDrift extends Error {
  constructor(readonly settlementId: string) {
    super(`settlement ${settlementId}: its movements changed while it was cut; retry`);
  }
}

/** The API's `settlement` object. */
export function settlementView(row: SettlementRow) {
  return {
    id: row.id,
    object: "settlement" as const,
    livemode: row.livemode,
    status: row.status,
    currency: row.currency.toLowerCase(),
    day: row.day,
    payout_on: row.payoutOn,
    transaction_count: row.transactionCount,
    amount: row.amount,
    fee: row.fee,
    net: row.net,
    file: { sha256: row.fileSha256, url: `/v1/settlements/${row.id}/file` },
    json_sha256: row.jsonSha256,
    created: Math.floor(row.createdAt.getTime() / 1000),
  };
}

/** `settlement.created` then `settlement.paid`: the batch is paid out as it is cut (the payout itself is the bank's). */
function settlementEvents(row: SettlementRow): NewEvent[] {
  const data = settlementView(row);
  const base = { merchantId: row.merchantId, livemode: row.livemode, objectId: row.id, createdAt: row.createdAt };
  return [
    { ...base, type: "settlement.created", objectVersion: 1, data: { ...data, status: "created" } },
    { ...base, type: "settlement.paid", objectVersion: 2, data },
  ];
}
