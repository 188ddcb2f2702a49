import type { reports } from "../../db/schema/reports.js";

/**
 * Why a report failed (its `failure_code`): every try of its run failed and the queue dead-lettered
 * it, or it stayed pending past the sweep's give-up age (report-sweep.ts).
 */
export const REPORT_FAILURES = ["dead_lettered", "timed_out"] as const;
export type ReportFailure = (typeof REPORT_FAILURES)[number];

const seconds = (date: Date | null) => (date ? Math.floor(date.getTime() / 1000) : null);

/** The API's `report` object; `download` only when it is ready and a link was signed for this answer. */
export function reportView(row: typeof reports.$inferSelect, download: { url: string; expires: number } | null) {
  return {
    id: row.id,
    object: "report" as const,
    livemode: row.livemode,
    type: row.type,
    status: row.status,
    created_range: { gte: seconds(row.createdFrom), lte: seconds(row.createdTo) },
    row_count: row.rowCount,
    file: row.fileSha256
      ? { sha256: row.fileSha256, download_url: download?.url ?? null, expires: download?.expires ?? null }
      : null,
    failure_code: row.failureCode,
    created: seconds(row.createdAt) as number,
    completed: seconds(row.completedAt),
  };
}
