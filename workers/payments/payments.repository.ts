import { and, desc, eq, gte, inArray, lte } from "drizzle-orm";
import { payments, refunds } from "../../db/schema/index.js";
import { afterCursor } from "../db/cursor.js";
import type { Database } from "../db/database.js";

export type PaymentRow = typeof payments.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;

export interface PaymentFilter {
  merchantId: string;
  status?: string;
  createdFrom?: Date;
  createdTo?: Date;
  limit: number;
  startingAfter?: string;
}

/**
 * A page of a merchant's payments from the Postgres projection, newest first, with their
 * refunds. The cursor is compared in SQL against the cursor row itself (microsecond timestamps).
 */
export async function listPayments(db: Database, filter: PaymentFilter) {
  const rows = await db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.merchantId, filter.merchantId),
        filter.status ? eq(payments.status, filter.status as PaymentRow["status"]) : undefined,
        filter.createdFrom ? gte(payments.createdAt, filter.createdFrom) : undefined,
        filter.createdTo ? lte(payments.createdAt, filter.createdTo) : undefined,
        afterCursor(payments, payments, filter.startingAfter, [payments.merchantId, filter.merchantId]),
      ),
    )
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(filter.limit + 1);
  const ids = rows.map((row) => row.id);
  const refundRows = ids.length > 0 ? await db.select().from(refunds).where(inArray(refunds.paymentId, ids)) : [];
  return { rows, refunds: refundRows };
}

/** A refund of this merchant, from the projection. */
export async function findRefund(db: Database, merchantId: string, id: string): Promise<RefundRow | undefined> {
  const [row] = await db
    .select()
    .from(refunds)
    .where(and(eq(refunds.id, id), eq(refunds.merchantId, merchantId)))
    .limit(1);
  return row;
}
