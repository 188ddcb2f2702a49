import { and, desc, eq } from "drizzle-orm";
import type { Owner } from "../../common/owner.js";
import { reports } from "../../db/schema/reports.js";
import { afterCursor } from "../db/cursor.js";
import type { Database } from "../db/database.js";

const ownedBy = (owner: Owner) => and(eq(reports.merchantId, owner.merchantId), eq(reports.livemode, owner.livemode));

/** A merchant's reports in one mode, newest first, one more than `limit` (has_more). */
export function listReports(db: Database, owner: Owner, limit: number, startingAfter?: string) {
  return db
    .select()
    .from(reports)
    .where(
      and(
        ownedBy(owner),
        afterCursor(reports, reports, startingAfter, [
          [reports.merchantId, owner.merchantId],
          [reports.livemode, owner.livemode],
        ]),
      ),
    )
    .orderBy(desc(reports.createdAt), desc(reports.id))
    .limit(limit + 1);
}

/** One of the merchant's reports in the mode (DESIGN invariant 6: another's, or the other mode's, is not found). */
export async function findReport(db: Database, owner: Owner, id: string) {
  const [row] = await db
    .select()
    .from(reports)
    .where(and(eq(reports.id, id), ownedBy(owner)));
  return row ?? null;
}
