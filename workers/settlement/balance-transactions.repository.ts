import { inArray } from "drizzle-orm";
import { sha256Hex } from "../../common/sha256-hex.js";
import { balanceTransactions } from "../../db/schema/balance-transactions.js";
import { merchants } from "../../db/schema/merchants.js";
import type { Database } from "../db/database.js";
import type { BalanceEntry, MerchantTerms } from "./balance-entries.js";

type Writer = Pick<Database, "insert" | "select">;

/** A movement's id, from what it is: the same movement written twice is the same row. */
export async function balanceTransactionId(entry: Pick<BalanceEntry, "type" | "sourceId">): Promise<string> {
  return `txn_${(await sha256Hex(`${entry.type}|${entry.sourceId}`)).slice(0, 32)}`;
}

/** The merchants' country and payout delay, as the movements need them (inside the caller's transaction). */
export async function merchantTerms(tx: Writer, merchantIds: string[]): Promise<Map<string, MerchantTerms>> {
  if (merchantIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: merchants.id, country: merchants.country, config: merchants.settlementConfig })
    .from(merchants)
    .where(inArray(merchants.id, [...new Set(merchantIds)]));
  return new Map(rows.map((row) => [row.id, { country: row.country, delayDays: row.config.delay_days ?? 0 }]));
}

/**
 * Writes movements exactly once (issue 16 item 1): the unique (type, source) index turns a second
 * write of the same movement, from a redelivered or reordered message, into nothing.
 */
export async function recordBalanceEntries(tx: Writer, entries: BalanceEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx
    .insert(balanceTransactions)
    .values(await balanceTransactionRows(entries))
    .onConflictDoNothing({
      target: [balanceTransactions.type, balanceTransactions.sourceId],
    });
}

/** Movements as `balance_transactions` rows, each with the id that makes a second write nothing. */
export async function balanceTransactionRows(
  entries: BalanceEntry[],
): Promise<(typeof balanceTransactions.$inferInsert)[]> {
  return Promise.all(
    entries.map(async (entry) => ({
      id: await balanceTransactionId(entry),
      merchantId: entry.merchantId,
      livemode: entry.livemode,
      type: entry.type,
      amount: entry.amount,
      fee: entry.fee,
      net: entry.net,
      currency: entry.currency,
      processor: entry.processor,
      sourceId: entry.sourceId,
      paymentId: entry.paymentId,
      availableOn: entry.availableOn,
      createdAt: entry.createdAt,
    })),
  );
}
