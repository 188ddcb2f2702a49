import { eq, sql } from "drizzle-orm";
import { randomBase62 } from "../../common/ids.js";
import { reports } from "../../db/schema/reports.js";
import type { Database } from "../db/database.js";
import { recordEvents } from "../events/events.repository.js";
import { R2StreamWriter } from "../settlement/r2-stream-writer.js";
import { csvLine } from "./csv.js";
import { REPORT_SOURCES } from "./report-sources.js";
import { reportView } from "./report-view.js";

/** Rows per query: the run holds one page at a time, whatever the range's size (issue 16 item 6). */
const PAGE = 2_000;

/** A report to run, as the `settlement-batch` queue carries it. */
export interface ReportMessage {
  kind: "report";
  report_id: string;
}

export type ReportRow = typeof reports.$inferSelect;

/**
 * Runs a report: its rows, oldest first, streamed page by page (keyset on created_at and id, the
 * cursor kept as Postgres' own text so microseconds survive) into one CSV object in R2, then the
 * report marked ready with its row count, file and SHA-256, and `report.ready` recorded, in one
 * transaction. A report no longer pending (ready, or failed by the sweep) is left as it is. One
 * report can have two runs at once (its message redelivered while the sweep re-sent it,
 * report-sweep.ts), so each run writes its own object: the run whose transaction marks the report
 * ready names its file, and a run that finds it settled already deletes its own, so the recorded
 * SHA-256 is always the named file's. A run that fails is retried by the queue and starts afresh.
 * Returns the events recorded (for their deliveries).
 */
export async function runReport(db: Database, bucket: R2Bucket, reportId: string): Promise<string[]> {
  const [report] = await db.select().from(reports).where(eq(reports.id, reportId));
  if (report?.status !== "pending") return [];
  const source = REPORT_SOURCES[report.type];
  const run = randomBase62(12);
  const key = `reports/${report.livemode ? "live" : "test"}/${report.merchantId}/${report.id}/${run}.csv`;
  const file = new R2StreamWriter(bucket, key, "text/csv; charset=utf-8", { report: report.id });
  const expressions = sql.raw(source.columns.map(([header, expression]) => `${expression} as "${header}"`).join(", "));
  let rows = 0;
  let written: Awaited<ReturnType<typeof file.close>>;
  try {
    await file.write(csvLine(source.columns.map(([header]) => header)));
    let after: { at: string; id: string } | null = null;
    for (;;) {
      type Row = Record<string, string | null> & { _at: string; _id: string };
      const page: { rows: Row[] } = await db.execute<Row>(sql`
        select ${expressions}, created_at::text as _at, id as _id from ${sql.raw(source.table)}
        where merchant_id = ${report.merchantId} and livemode = ${report.livemode}
          ${report.createdFrom ? sql`and created_at >= ${report.createdFrom}` : sql``}
          ${report.createdTo ? sql`and created_at <= ${report.createdTo}` : sql``}
          ${after ? sql`and (created_at, id) > (${after.at}::timestamptz, ${after.id})` : sql``}
        order by created_at, id limit ${PAGE}`);
      for (const row of page.rows) {
        await file.write(csvLine(source.columns.map(([header]) => row[header] ?? null)));
        rows += 1;
      }
      const last: Row | undefined = page.rows.at(-1);
      if (!last || page.rows.length < PAGE) break;
      after = { at: last._at, id: last._id };
    }
    written = await file.close();
  } catch (error) {
    await file.abort();
    throw error;
  }
  const eventIds = await markReady(db, report, rows, written);
  // Settled by another run, or failed by the sweep, meanwhile: this run's file names nothing.
  if (eventIds === null) await bucket.delete(written.key);
  return eventIds ?? [];
}

/** The report ready with this file and `report.ready`, in one transaction; null when it is no longer pending. */
async function markReady(
  db: Database,
  report: ReportRow,
  rows: number,
  written: { key: string; sha256: string },
): Promise<string[] | null> {
  return db.transaction(async (tx) => {
    const [ready] = await tx
      .update(reports)
      .set({
        status: "ready",
        rowCount: rows,
        fileKey: written.key,
        fileSha256: written.sha256,
        completedAt: new Date(),
      })
      .where(sql`${reports.id} = ${report.id} and ${reports.status} = 'pending'`)
      .returning();
    if (!ready) return null;
    return recordEvents(tx, [
      {
        type: "report.ready",
        merchantId: ready.merchantId,
        livemode: ready.livemode,
        objectId: ready.id,
        objectVersion: 2,
        data: reportView(ready, null),
        createdAt: ready.completedAt ?? new Date(),
      },
    ]);
  });
}
