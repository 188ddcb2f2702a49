import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { merchants } from "./merchants.js";

export const REPORT_TYPES = ["payments", "refunds", "balance_transactions", "disputes", "settlements"] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

export const REPORT_STATUSES = ["pending", "ready", "failed"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/**
 * A report run (issue 16 item 4): one merchant's objects of one type created in a time range, as a
 * CSV in R2 (`REPORTS_BUCKET`), made asynchronously through the `settlement-batch` queue. The file's
 * SHA-256 is recorded with it; it is downloaded through a short-lived signed URL.
 */
export const reports = pgTable(
  "reports",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    livemode: boolean("livemode").notNull(),
    type: text("type").$type<ReportType>().notNull(),
    createdFrom: timestamp("created_from", { withTimezone: true, mode: "date" }),
    createdTo: timestamp("created_to", { withTimezone: true, mode: "date" }),
    status: text("status").$type<ReportStatus>().notNull().default("pending"),
    rowCount: integer("row_count"),
    fileKey: text("file_key"),
    fileSha256: text("file_sha256"),
    failureCode: text("failure_code"),
    createdAt: createdAt(),
    completedAt: timestamp("completed_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("reports_merchant_created").on(t.merchantId, t.livemode, t.createdAt, t.id),
    check("reports_type", sql.raw(`type in (${REPORT_TYPES.map((s) => `'${s}'`).join(", ")})`)),
    check("reports_status", sql.raw(`status in (${REPORT_STATUSES.map((s) => `'${s}'`).join(", ")})`)),
    check("reports_ready", sql`(${t.status} = 'ready') = (${t.fileKey} is not null and ${t.fileSha256} is not null)`),
  ],
);
