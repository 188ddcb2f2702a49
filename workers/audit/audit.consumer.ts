import { connect } from "../db/database.js";
import { describeError, log } from "../logging/logger.js";
import { insertRequestLogs, purgeExpiredRequestLogs } from "../request-logs/request-logs.repository.js";
import { isRequestSummary, type RequestSummary } from "../request-logs/request-summary.js";
import { auditChain } from "./audit-chain.js";
import type { AuditEntry } from "./audit-entry.js";
import { type AuditPack, isAuditPack } from "./audit-pack.js";
import { forwardCardAccess } from "./card-access-forwarder.js";
import { keyUseEntry } from "./key-use-audit.js";

/**
 * The audit-log queue carries two things: audit entries (one a message, or packed many to a message:
 * `audit-pack.ts`), and request summaries. Both go into the
 * audit hash chain in R2 (a summary as its key's `api_key.used` entry), appended by the chain's
 * Durable Object as one object per batch (`durable-objects/audit-chain/`); the summaries also go
 * to Postgres for the merchant's request log (keyed by request id, so redelivery is a no-op).
 * Each batch then forwards the vault's new card accesses into the chain
 * (`card-access-forwarder.ts`), on a best-effort basis: what it misses, the next batch or the
 * hourly cron takes. A failed write of the batch's own throws, and the queue redelivers it (then
 * dead-letters it); the chain drops the entries it already holds.
 */
export async function consumeAuditBatch(
  batch: MessageBatch<AuditEntry | AuditPack | RequestSummary>,
  env: Env,
): Promise<void> {
  if (batch.messages.length === 0) return;
  const bodies = batch.messages.flatMap(({ body }) => (isAuditPack(body) ? body.entries : [body]));
  const summaries = bodies.filter(isRequestSummary);
  const entries = [
    ...bodies.filter((body): body is AuditEntry => !isRequestSummary(body)),
    ...(await Promise.all(summaries.map(keyUseEntry))),
  ];
  await auditChain(env).append(entries);

  let connection: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    connection = await connect(env);
  } catch (error) {
    if (summaries.length > 0) throw error;
    log("warn", "audit-log: database unreachable, card accesses not forwarded now", describeError(error));
    batch.ackAll();
    return;
  }
  try {
    if (summaries.length > 0) {
      await insertRequestLogs(connection.db, summaries);
      // Retention without a scheduler: about one batch in fifty also clears what is past 30 days.
      if (Math.random() < 0.02) await purgeExpiredRequestLogs(connection.db);
    }
    await forwardCardAccess(env, connection.db).catch((error: unknown) =>
      log("warn", "audit-log: card accesses not forwarded now", describeError(error)),
    );
  } finally {
    await connection.close().catch(() => {});
  }
  batch.ackAll();
}
