import { and, desc, eq, gte, like, sql } from "drizzle-orm";
import type { Owner } from "../../common/owner.js";
import { apiKeys, requestLogs } from "../../db/schema/index.js";
import { afterCursor } from "../db/cursor.js";
import type { Database } from "../db/database.js";
import type { RequestSummary } from "./request-summary.js";

export const RETENTION_DAYS = 30;
type RequestLogRow = typeof requestLogs.$inferSelect;
/** Whose log: one merchant's, in one mode (DESIGN invariant 6). */

/** A summary's mode: its own, or (queued before modes) its key's, as migration 0015 filled old rows. */
const modeOf = (summary: RequestSummary) =>
  summary.livemode ??
  sql<boolean>`coalesce((select ${apiKeys.livemode} from ${apiKeys} where ${apiKeys.id} = ${summary.api_key_id}), false)`;

/** One statement per batch; a redelivered summary (same request id) is a no-op. */
export async function insertRequestLogs(db: Database, summaries: RequestSummary[]): Promise<void> {
  if (summaries.length === 0) return;
  await db
    .insert(requestLogs)
    .values(
      summaries.map((summary) => ({
        id: summary.id,
        merchantId: summary.merchant_id,
        apiKeyId: summary.api_key_id,
        livemode: modeOf(summary),
        method: summary.method,
        path: summary.path,
        status: summary.status,
        latencyMs: summary.latency_ms,
        errorCode: summary.error_code,
        apiVersion: summary.api_version ?? null,
        createdAt: new Date(summary.at),
      })),
    )
    .onConflictDoNothing({ target: requestLogs.id });
}

/** Deletes up to 5,000 summaries past retention (called now and then by the consumer). */
export async function purgeExpiredRequestLogs(db: Database): Promise<void> {
  await db.execute(sql`
    delete from request_logs where id in (
      select id from request_logs where created_at < now() - make_interval(days => ${RETENTION_DAYS}) limit 5000)`);
}

export interface RequestLogFilter {
  owner: Owner;
  status?: number;
  path?: string;
  limit: number;
  startingAfter?: string;
}

/** A page of the merchant's last 30 days of requests made with keys of one mode, newest first. */
export async function listRequestLogs(db: Database, filter: RequestLogFilter): Promise<RequestLogRow[]> {
  return db
    .select()
    .from(requestLogs)
    .where(
      and(
        eq(requestLogs.merchantId, filter.owner.merchantId),
        eq(requestLogs.livemode, filter.owner.livemode),
        gte(requestLogs.createdAt, sql`now() - make_interval(days => ${RETENTION_DAYS})`),
        filter.status !== undefined ? eq(requestLogs.status, filter.status) : undefined,
        filter.path ? like(requestLogs.path, `${filter.path.replace(/[%_\\]/g, "\\$&")}%`) : undefined,
        afterCursor(requestLogs, requestLogs, filter.startingAfter, [
          [requestLogs.merchantId, filter.owner.merchantId],
          [requestLogs.livemode, filter.owner.livemode],
        ]),
      ),
    )
    .orderBy(desc(requestLogs.createdAt), desc(requestLogs.id))
    .limit(filter.limit + 1);
}
