import { and, desc, eq, sql } from "drizzle-orm";
import type { Owner } from "../../common/owner.js";
import { balanceTransactions } from "../../db/schema/balance-transactions.js";
import { settlements } from "../../db/schema/settlements.js";
import { afterCursor } from "../db/cursor.js";
import type { Database } from "../db/database.js";

/** A merchant's settlements, newest first, one more than `limit` (has_more). */
export function listSettlements(db: Database, owner: Owner, limit: number, startingAfter?: string) {
  return db
    .select()
    .from(settlements)
    .where(
      and(
        eq(settlements.merchantId, owner.merchantId),
        eq(settlements.livemode, owner.livemode),
        afterCursor(settlements, settlements, startingAfter, [
          [settlements.merchantId, owner.merchantId],
          [settlements.livemode, owner.livemode],
        ]),
      ),
    )
    .orderBy(desc(settlements.createdAt), desc(settlements.id))
    .limit(limit + 1);
}

export async function findSettlement(db: Database, owner: Owner, id: string) {
  const [row] = await db
    .select()
    .from(settlements)
    .where(
      and(
        eq(settlements.id, id),
        eq(settlements.merchantId, owner.merchantId),
        eq(settlements.livemode, owner.livemode),
      ),
    );
  return row ?? null;
}

/** A merchant's balance transactions, newest first; of one settlement when `settlement` is given. */
export function listBalanceTransactions(
  db: Database,
  owner: Owner,
  limit: number,
  filters: { startingAfter?: string; settlement?: string; type?: string },
) {
  return db
    .select()
    .from(balanceTransactions)
    .where(
      and(
        eq(balanceTransactions.merchantId, owner.merchantId),
        eq(balanceTransactions.livemode, owner.livemode),
        filters.settlement ? eq(balanceTransactions.settlementId, filters.settlement) : undefined,
        filters.type ? eq(balanceTransactions.type, filters.type as never) : undefined,
        afterCursor(balanceTransactions, balanceTransactions, filters.startingAfter, [
          [balanceTransactions.merchantId, owner.merchantId],
          [balanceTransactions.livemode, owner.livemode],
        ]),
      ),
    )
    .orderBy(desc(balanceTransactions.createdAt), desc(balanceTransactions.id))
    .limit(limit + 1);
}

/**
 * The merchant's balance per currency, in the mode: `pending` (not yet in a settlement), of which
 * `available` (payable by today), and `paid` (settled). Net amounts, minor units.
 */
export async function balanceOf(db: Database, owner: Owner, today: string) {
  const result = await db.execute<{ currency: string; pending: string; available: string; paid: string }>(sql`
    select currency,
      coalesce(sum(net) filter (where status = 'pending'), 0) as pending,
      coalesce(sum(net) filter (where status = 'pending' and available_on <= ${today}), 0) as available,
      coalesce(sum(net) filter (where status = 'paid'), 0) as paid
    from ${balanceTransactions}
    where merchant_id = ${owner.merchantId} and livemode = ${owner.livemode}
    group by currency order by currency`);
  return result.rows.map((row) => ({
    currency: row.currency.toLowerCase(),
    pending: Number(row.pending),
    available: Number(row.available),
    paid: Number(row.paid),
  }));
}
