import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";

/** How a line of a processor's file, or a movement of the gateway's, came out (issue 16 item 3). */
export const RECONCILIATION_CLASSES = [
  "matched",
  "missing_at_processor",
  "missing_at_gateway",
  "amount_mismatch",
  "currency_mismatch",
  "duplicate",
  "fee_mismatch",
] as const;
export type ReconciliationClass = (typeof RECONCILIATION_CLASSES)[number];

/** The exceptions: every class but `matched`. */
export const EXCEPTION_CLASSES = RECONCILIATION_CLASSES.filter(
  (name): name is Exclude<ReconciliationClass, "matched"> => name !== "matched",
) as [Exclude<ReconciliationClass, "matched">, ...Exclude<ReconciliationClass, "matched">[]];
export type ExceptionClass = (typeof EXCEPTION_CLASSES)[number];

export const RECONCILIATION_RUN_STATUSES = ["completed", "superseded"] as const;
export type ReconciliationRunStatus = (typeof RECONCILIATION_RUN_STATUSES)[number];

const list = (values: readonly string[]) => values.map((value) => `'${value}'`).join(", ");

/**
 * One reconciliation of a processor's file for one day and mode against the gateway's books.
 * The file as pulled is kept in R2 (`file_key`) with its SHA-256; the same file again is the same
 * run (the unique index), a changed one a new run that supersedes the day's previous one, both
 * kept. `counts` has every class's count, matched included; the exceptions are
 * `reconciliation_items` and a CSV in R2 (`exceptions_key`).
 */
export const reconciliationRuns = pgTable(
  "reconciliation_runs",
  {
    id: text("id").primaryKey(),
    processor: text("processor").notNull(),
    livemode: boolean("livemode").notNull(),
    /** The business day reconciled (UTC), as the file and the gateway's movements date it. */
    day: date("day", { mode: "string" }).notNull(),
    status: text("status").$type<ReconciliationRunStatus>().notNull().default("completed"),
    fileKey: text("file_key").notNull(),
    fileSha256: text("file_sha256").notNull(),
    fileBytes: bigint("file_bytes", { mode: "number" }).notNull(),
    /** Detail lines in the file, and movements on the gateway's side for the day. */
    lineCount: integer("line_count").notNull(),
    gatewayCount: integer("gateway_count").notNull(),
    counts: jsonb("counts").$type<Record<ReconciliationClass, number>>().notNull(),
    exceptionsKey: text("exceptions_key").notNull(),
    exceptionsSha256: text("exceptions_sha256").notNull(),
    /** The day's run this one replaced (its file changed), if any. */
    supersedes: text("supersedes"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("reconciliation_runs_file").on(t.processor, t.livemode, t.day, t.fileSha256),
    index("reconciliation_runs_day").on(t.processor, t.livemode, t.day, t.createdAt),
    index("reconciliation_runs_created").on(t.createdAt, t.id),
    check("reconciliation_runs_status", sql.raw(`status in (${list(RECONCILIATION_RUN_STATUSES)})`)),
    check(
      "reconciliation_runs_sha256",
      sql`${t.fileSha256} ~ '^[0-9a-f]{64}$' and ${t.exceptionsSha256} ~ '^[0-9a-f]{64}$'`,
    ),
    check("reconciliation_runs_id_shape", sql`${t.id} ~ '^rcn_[0-9a-f]{32}$'`),
  ],
);

/**
 * One exception of a run: a file line, a gateway movement, or the pair of them, with both sides'
 * values so ops see what differs. `seq` orders them as the run found them (by the processor's key).
 */
export const reconciliationItems = pgTable(
  "reconciliation_items",
  {
    runId: text("run_id")
      .notNull()
      .references(() => reconciliationRuns.id),
    seq: integer("seq").notNull(),
    class: text("class").$type<ExceptionClass>().notNull(),
    /** A sale or completion (`charge`), or a refund. */
    kind: text("kind").$type<"charge" | "refund">().notNull(),
    /** The processor's key: the line's RRN (ISO 8583 field 37), else the gateway's reference. */
    reference: text("reference"),
    /** A refund's original RRN. */
    originalReference: text("original_reference"),
    /** The line's number in the file (1 is the first detail line), when the file has it. */
    lineNo: integer("line_no"),
    /** The gateway's side: the movement's source (payment or refund), its payment and merchant. */
    sourceId: text("source_id"),
    paymentId: text("payment_id"),
    merchantId: text("merchant_id"),
    fileAmount: bigint("file_amount", { mode: "number" }),
    gatewayAmount: bigint("gateway_amount", { mode: "number" }),
    fileCurrency: text("file_currency"),
    gatewayCurrency: text("gateway_currency"),
    fileFee: bigint("file_fee", { mode: "number" }),
    gatewayFee: bigint("gateway_fee", { mode: "number" }),
    fileAuthCode: text("file_auth_code"),
    gatewayAuthCode: text("gateway_auth_code"),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.seq] }),
    index("reconciliation_items_run_class").on(t.runId, t.class, t.seq),
    check("reconciliation_items_class", sql.raw(`class in (${list(EXCEPTION_CLASSES)})`)),
    check("reconciliation_items_kind", sql`${t.kind} in ('charge', 'refund')`),
  ],
);
