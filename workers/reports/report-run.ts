import { eq, sql } from "drizzle-orm";
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
 * report marked ready with its row count and SHA-256, and `report.ready` recorded, in one
 * transaction. A report already ready is left as it is (a redelivered message); one that fails is
 * retried by the queue, and the file is written again whole under the same key. Returns the events
 * recorded (for their deliveries).
 */
export async function runReport(db: Database, bucket: R2Bucket, reportId: string): Promise<string[]> {
  const [report] = await db.select().from(reports).where(eq(reports.id, reportId));
  if (report?.status !== "pending") return [];
  const source = REPORT_SOURCES[report.type];
  const key = `reports/${report.livemode ? "live" : "test"}/${report.merchantId}/${report.id}.csv`;
  const file = new R2StreamWriter(bucket, key, "text/csv; charset=utf-8", { report: report.id });
  const expressions = sql.raw(source.columns.map(([header, expression]) => `${expression} as "${header}"`).join(", "));
  let rows = 0;
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
    const written = await file.close();
    return await db.transaction(async (tx) => {
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
      if (!ready) return [];
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
  } catch (error) {
    await file.abort();
    throw error;
  }
}
