import { and, eq, ne, sql } from "drizzle-orm";
import { sha256Hex } from "../../common/sha256-hex.js";
import {
  RECONCILIATION_CLASSES,
  type ReconciliationClass,
  reconciliationRuns,
} from "../../db/schema/reconciliation.js";
import type { Database } from "../db/database.js";
import { ApiError } from "../errors/api-error.js";
import { R2StreamWriter } from "../settlement/r2-stream-writer.js";
import { EXCEPTIONS_CSV_HEADER, ExceptionWriter } from "./reconciliation-exceptions.js";
import { type Compared, type FileLine, type GatewayRow, matchGroup } from "./reconciliation-matcher.js";
import {
  createStaging,
  nextPairs,
  openPairs,
  type Scope,
  type Staging,
  settleExactPairs,
  stageGatewayRows,
} from "./reconciliation-staging.js";
import { ReportFileInvalid } from "./report-file-invalid.js";
import { REPORT_LAYOUTS, type ReportLayout } from "./report-layouts.js";
import { discard, ingest, pull } from "./report-pull.js";
import type { ReconcilableProcessor, ReportSource } from "./report-sources.js";

export type ReconciliationRun = typeof reconciliationRuns.$inferSelect;

/** Pairs read per fetch: the run holds a page of them, whatever the day. */
const PAGE = 2_000;

const modeOf = (livemode: boolean) => (livemode ? "live" : "test");

/** The run's id, from its scope and its file's hash: the same file again is the same run. */
export async function reconciliationRunId(scope: Scope, fileSha256: string): Promise<string> {
  const digest = await sha256Hex(`${scope.processor}|${modeOf(scope.livemode)}|${scope.day}|${fileSha256}`);
  return `rcn_${digest.slice(0, 32)}`;
}

/** Where a scope's objects go in the settlements bucket. */
function keyBase(scope: Scope): string {
  return `reconciliation/${modeOf(scope.livemode)}/${scope.processor}/${scope.day}`;
}

/** Another run of the same file committed first: that run stands, this one is rolled back. */
class AlreadyRun extends Error {
  constructor(readonly runId: string) {
    super(`reconciliation run ${runId} was made meanwhile`);
  }
}

/**
 * Reconciles one processor's daily file for one day and mode (issue 16 item 3), read in the
 * processor's own layout (report-layouts.ts). The file is pulled from the processor's drop and,
 * in one pass, stored in R2 as it came (hashed on the way) and staged in Postgres line by line;
 * the gateway's movements of the day are staged beside it, keyed as the layout keys them, and
 * one cursor walks both in key order, page by page, each key's group classified by `matchGroup`. Exceptions go to `reconciliation_items` and a CSV in R2 as they are found; the
 * run and its counts are written in the same transaction, which also marks the day's previous
 * run superseded, so a run is whole or absent. A file seen before (same hash) is that run, and
 * nothing new is kept. A file that does not read (another day's, cut short) is refused.
 */
export async function reconcile(
  db: Database,
  bucket: R2Bucket,
  source: ReportSource,
  scope: Scope & { processor: ReconcilableProcessor },
): Promise<{ run: ReconciliationRun; created: boolean }> {
  const layout: ReportLayout = REPORT_LAYOUTS[scope.processor];
  const pulled = await pull(source, scope.day, layout.mediaType);
  const pulledAt = new Date().toISOString().replace(/[-:.]/g, "");
  const raw = new R2StreamWriter(
    bucket,
    `${keyBase(scope)}/files/${pulledAt}-${crypto.randomUUID()}.${layout.mediaType === "text/csv" ? "csv" : "txt"}`,
    `${layout.mediaType}; charset=utf-8`,
    {
      processor: scope.processor,
      day: scope.day,
    },
  );
  let keepRaw = false;
  try {
    const outcome = await db.transaction(async (tx) => {
      await createStaging(tx);
      const { lines, file } = await ingest(tx, pulled, raw, scope.day, layout);
      const id = await reconciliationRunId(scope, file.sha256);
      const [seen] = await tx.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, id));
      if (seen) return { run: seen, created: false };
      const gatewayCount = await stageGatewayRows(tx, scope, layout.paymentReference);
      const exceptionsKey = `${keyBase(scope)}/${id}-exceptions.csv`;
      const [inserted] = await tx
        .insert(reconciliationRuns)
        .values({
          id,
          processor: scope.processor,
          livemode: scope.livemode,
          day: scope.day,
          fileKey: file.key,
          fileSha256: file.sha256,
          fileBytes: file.bytes,
          lineCount: lines,
          gatewayCount,
          counts: {} as Record<ReconciliationClass, number>,
          exceptionsKey,
          exceptionsSha256: "0".repeat(64),
        })
        .onConflictDoNothing()
        .returning({ id: reconciliationRuns.id });
      if (!inserted) throw new AlreadyRun(id);
      const csv = new R2StreamWriter(bucket, exceptionsKey, "text/csv; charset=utf-8", { run: id });
      try {
        const counts = await classify(tx, new ExceptionWriter(tx, id, csv), csv, layout.compared);
        const exceptions = await csv.close();
        const [previous] = await tx
          .update(reconciliationRuns)
          .set({ status: "superseded" })
          .where(
            and(
              eq(reconciliationRuns.processor, scope.processor),
              eq(reconciliationRuns.livemode, scope.livemode),
              eq(reconciliationRuns.day, scope.day),
              eq(reconciliationRuns.status, "completed"),
              ne(reconciliationRuns.id, id),
            ),
          )
          .returning({ id: reconciliationRuns.id });
        const [run] = await tx
          .update(reconciliationRuns)
          .set({ counts, exceptionsSha256: exceptions.sha256, supersedes: previous?.id ?? null })
          .where(eq(reconciliationRuns.id, id))
          .returning();
        return { run: run as ReconciliationRun, created: true };
      } catch (error) {
        await discard(bucket, csv);
        throw error;
      }
    });
    keepRaw = outcome.created;
    return outcome;
  } catch (error) {
    if (error instanceof AlreadyRun) return { run: await runById(db, error.runId), created: false };
    if (error instanceof ReportFileInvalid) {
      throw new ApiError("processor_report_invalid", { message: `${error.message}.`, cause: error });
    }
    throw error;
  } finally {
    // Only a new run keeps what it pulled; the same file again is already kept under its first run.
    if (!keepRaw) await discard(bucket, raw);
  }
}

/** Walks both sides in key order, a page at a time, and classifies each key's group. */
async function classify(
  tx: Staging,
  exceptions: ExceptionWriter,
  csv: R2StreamWriter,
  compared: Compared,
): Promise<Record<ReconciliationClass, number>> {
  const counts = Object.fromEntries(RECONCILIATION_CLASSES.map((name) => [name, 0])) as Record<
    ReconciliationClass,
    number
  >;
  await csv.write(EXCEPTIONS_CSV_HEADER);
  counts.matched += await settleExactPairs(tx, compared);
  await openPairs(tx);
  let group: { key: string; lines: FileLine[]; rows: GatewayRow[] } | null = null;
  const settle = async (done: { lines: FileLine[]; rows: GatewayRow[] }) => {
    for (const item of matchGroup(done.lines, done.rows, compared)) {
      counts[item.class] += 1;
      if (item.class !== "matched") await exceptions.add(item);
    }
  };
  for (;;) {
    const page = await nextPairs(tx, PAGE);
    for (const entry of page) {
      if (group && group.key !== entry.key) {
        await settle(group);
        group = null;
      }
      group ??= { key: entry.key, lines: [], rows: [] };
      if (entry.side === "file") group.lines.push(entry.line);
      else group.rows.push(entry.row);
    }
    if (page.length < PAGE) break;
  }
  if (group) await settle(group);
  await exceptions.flush();
  await tx.execute(sql`close recon_pairs`);
  return counts;
}

/** The run a concurrent request made of the same file (it committed first). */
async function runById(db: Database, id: string): Promise<ReconciliationRun> {
  const [run] = await db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, id));
  if (!run) throw new ApiError("processor_report_unavailable");
  return run;
}
