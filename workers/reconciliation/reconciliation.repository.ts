import { and, asc, desc, eq, gt, type SQL } from "drizzle-orm";
import { type ExceptionClass, reconciliationItems, reconciliationRuns } from "../../db/schema/reconciliation.js";
import { afterCursor } from "../db/cursor.js";
import type { Database } from "../db/database.js";
import type { ReconciliationRun } from "./reconciliation-run.js";

export async function findRun(db: Database, id: string): Promise<ReconciliationRun | undefined> {
  const [run] = await db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, id));
  return run;
}

/** Runs newest first, one more than `limit` (so the caller knows if there are more). */
export async function listRuns(
  db: Database,
  limit: number,
  filter: { startingAfter?: string; processor?: string; day?: string; livemode?: boolean },
): Promise<ReconciliationRun[]> {
  const conditions: (SQL | undefined)[] = [
    afterCursor(reconciliationRuns, reconciliationRuns, filter.startingAfter, []),
    filter.processor === undefined ? undefined : eq(reconciliationRuns.processor, filter.processor),
    filter.day === undefined ? undefined : eq(reconciliationRuns.day, filter.day),
    filter.livemode === undefined ? undefined : eq(reconciliationRuns.livemode, filter.livemode),
  ];
  return db
    .select()
    .from(reconciliationRuns)
    .where(and(...conditions))
    .orderBy(desc(reconciliationRuns.createdAt), desc(reconciliationRuns.id))
    .limit(limit + 1);
}

/** A run's exceptions in the order found, after `afterSeq`, of one class when asked; one more than `limit`. */
export async function listItems(
  db: Database,
  runId: string,
  limit: number,
  filter: { afterSeq?: number; class?: ExceptionClass },
) {
  return db
    .select()
    .from(reconciliationItems)
    .where(
      and(
        eq(reconciliationItems.runId, runId),
        filter.afterSeq === undefined ? undefined : gt(reconciliationItems.seq, filter.afterSeq),
        filter.class === undefined ? undefined : eq(reconciliationItems.class, filter.class),
      ),
    )
    .orderBy(asc(reconciliationItems.seq))
    .limit(limit + 1);
}
