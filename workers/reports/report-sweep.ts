import { and, asc, eq, inArray, lt, type SQL } from "drizzle-orm";
import { reports } from "../../db/schema/reports.js";
import { connect, type Database } from "../db/database.js";
import type { DeadLetter } from "../dead-letters/dead-letters.consumer.js";
import { recordEvents } from "../events/events.repository.js";
import { log } from "../logging/logger.js";
import { enqueueUntriedDeliveries } from "../webhooks/delivery-queue.js";
import type { ReportMessage } from "./report-run.js";
import { type ReportFailure, reportView } from "./report-view.js";

/**
 * A run takes seconds; a report still pending this long after it was asked for lost its message
 * (the send after the insert failed) or is failing: it is sent again. Duplicates are harmless
 * (report-run.ts: one run names the file).
 */
export const RESEND_AFTER_MINUTES = 15;

/**
 * Past this a pending report is given up: the queue gives each message about 1 h 40 min of retries
 * (10 of them, wrangler.toml, up to 15 min apart) and the sweep sent it again each hour meanwhile.
 */
export const GIVE_UP_AFTER_HOURS = 6;

/** Reports settled per sweep, each way: a backlog drains over the next hours instead of one long run. */
const BATCH = 500;

/** Where the dead-letter consumer parks this queue's messages (dead-letters.consumer.ts). */
const PARKED_PREFIX = "dead-letters/settlement-batch/";

/**
 * The reports whose message the queue gave up on, from the letters parked in R2 since `since`
 * (older ones are past the give-up age anyway). Parked letters are few and kept until ops replay
 * them, so they are read as they are, a page at a time.
 */
async function deadLetteredReports(bucket: R2Bucket, since: Date): Promise<string[]> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: PARKED_PREFIX, ...(cursor ? { cursor } : {}) });
    for (const object of page.objects) {
      if (object.uploaded < since) continue;
      const letter = (await (await bucket.get(object.key))?.json()) as DeadLetter | undefined;
      const body = letter?.body as Partial<ReportMessage> | undefined;
      if (body?.kind === "report" && typeof body.report_id === "string") ids.add(body.report_id);
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return [...ids];
}

/** Fails pending reports with `reason`, each with its `report.failed`, in one transaction; the events' ids. */
async function failReports(db: Database, which: SQL, reason: ReportFailure, now: Date) {
  return db.transaction(async (tx) => {
    const failed = await tx
      .update(reports)
      .set({ status: "failed", failureCode: reason, completedAt: now })
      .where(
        and(
          inArray(
            reports.id,
            tx
              .select({ id: reports.id })
              .from(reports)
              .where(and(eq(reports.status, "pending"), which))
              .orderBy(asc(reports.createdAt))
              .limit(BATCH),
          ),
          // Checked again on the row itself: a run that made it ready meanwhile keeps it ready.
          eq(reports.status, "pending"),
        ),
      )
      .returning();
    const eventIds = await recordEvents(
      tx,
      failed.map((report) => ({
        type: "report.failed" as const,
        merchantId: report.merchantId,
        livemode: report.livemode,
        objectId: report.id,
        // The report's second state, as `report.ready` is: a report ends one way only.
        objectVersion: 2,
        data: reportView(report, null),
        createdAt: now,
      })),
    );
    return { count: failed.length, eventIds };
  });
}

/**
 * The hourly sweep (issue 16 item 4: a report never stays pending for ever). First, pending
 * reports whose run failed for good are marked `failed`, with `report.failed`: those whose message
 * was dead-lettered (`dead_lettered`) and those pending longer than GIVE_UP_AFTER_HOURS
 * (`timed_out`: the message kept failing or was never sent). Then every report pending longer than
 * RESEND_AFTER_MINUTES is sent to the queue again. A failed report is final: a run still under
 * way finds it no longer pending and keeps nothing.
 */
export async function sweepReports(env: Env, now: Date) {
  const giveUp = new Date(now.getTime() - GIVE_UP_AFTER_HOURS * 3_600_000);
  const resendBefore = new Date(now.getTime() - RESEND_AFTER_MINUTES * 60_000);
  const connection = await connect(env);
  try {
    const { db } = connection;
    const parked = await deadLetteredReports(env.DEAD_LETTER_BUCKET, giveUp);
    const deadLettered =
      parked.length > 0 ? await failReports(db, inArray(reports.id, parked), "dead_lettered", now) : null;
    const timedOut = await failReports(db, lt(reports.createdAt, giveUp), "timed_out", now);
    await enqueueUntriedDeliveries(env, db, [...(deadLettered?.eventIds ?? []), ...timedOut.eventIds]);

    const stalled = await db
      .select({ id: reports.id })
      .from(reports)
      .where(and(eq(reports.status, "pending"), lt(reports.createdAt, resendBefore)))
      .orderBy(asc(reports.createdAt))
      .limit(BATCH);
    for (let at = 0; at < stalled.length; at += 100) {
      await env.SETTLEMENT_BATCH.sendBatch(
        stalled.slice(at, at + 100).map(({ id }) => ({
          body: { kind: "report", report_id: id } satisfies ReportMessage,
          contentType: "json" as const,
        })),
      );
    }
    const swept = { resent: stalled.length, dead_lettered: deadLettered?.count ?? 0, timed_out: timedOut.count };
    if (swept.resent + swept.dead_lettered + swept.timed_out > 0) log("info", "reports swept", swept);
    return swept;
  } finally {
    await connection.close().catch(() => {});
  }
}
