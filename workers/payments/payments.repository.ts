import { and, asc, desc, eq, gte, inArray, lte } from "drizzle-orm";
import { paymentAttempts, payments, refunds } from "../../db/schema/index.js";
import type { PaymentCaller } from "../../durable-objects/payment/payment-record.js";
import { afterCursor } from "../db/cursor.js";
import type { Database } from "../db/database.js";

export type PaymentRow = typeof payments.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;
export type AttemptRow = typeof paymentAttempts.$inferSelect;

export interface PaymentFilter extends PaymentCaller {
  status?: string;
  createdFrom?: Date;
  createdTo?: Date;
  limit: number;
  startingAfter?: string;
}

/**
 * A page of a merchant's payments in one mode from the Postgres projection, newest first, with
 * their refunds and attempts. The cursor is compared in SQL against the cursor row itself (Postgres keeps
 * microseconds, a JS Date does not), found only among the same merchant's payments in the same
 * mode: another mode's id is no cursor, so it cannot be probed for.
 */
export async function listPayments(db: Database, filter: PaymentFilter) {
  const rows = await db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.merchantId, filter.merchantId),
        eq(payments.livemode, filter.livemode),
        filter.status ? eq(payments.status, filter.status as PaymentRow["status"]) : undefined,
        filter.createdFrom ? gte(payments.createdAt, filter.createdFrom) : undefined,
        filter.createdTo ? lte(payments.createdAt, filter.createdTo) : undefined,
        afterCursor(payments, payments, filter.startingAfter, [
          [payments.merchantId, filter.merchantId],
          [payments.livemode, filter.livemode],
        ]),
      ),
    )
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(filter.limit + 1);
  const ids = rows.map((row) => row.id);
  if (ids.length === 0) return { rows, refunds: [], attempts: [] };
  const [refundRows, attemptRows] = await Promise.all([
    db.select().from(refunds).where(inArray(refunds.paymentId, ids)),
    db
      .select()
      .from(paymentAttempts)
      .where(inArray(paymentAttempts.paymentId, ids))
      .orderBy(asc(paymentAttempts.paymentId), asc(paymentAttempts.sequence)),
  ]);
  return { rows, refunds: refundRows, attempts: attemptRows };
}

/** A refund of this merchant in this mode, from the projection. */
export async function findRefund(db: Database, caller: PaymentCaller, id: string): Promise<RefundRow | undefined> {
  const [row] = await db
    .select()
    .from(refunds)
    .where(and(eq(refunds.id, id), eq(refunds.merchantId, caller.merchantId), eq(refunds.livemode, caller.livemode)))
    .limit(1);
  return row;
}
