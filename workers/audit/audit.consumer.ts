import { sha256Hex } from "../../common/sha256-hex.js";
import { connect } from "../db/database.js";
import { insertRequestLogs, purgeExpiredRequestLogs } from "../request-logs/request-logs.repository.js";
import { isRequestSummary, type RequestSummary } from "../request-logs/request-summary.js";
import type { AuditEntry } from "./audit-entry.js";

/**
 * The audit-log queue carries two things: audit entries, written to R2 as one NDJSON object per
 * batch under `audit/YYYY/MM/DD/` (the key derives from the entries' ids, so a redelivered batch
 * overwrites the same object), and request summaries, inserted into Postgres for the merchant's
 * request log (keyed by request id, so redelivery is a no-op). A failed write throws, and the
 * queue redelivers the batch (then dead-letters it).
 */
export async function consumeAuditBatch(batch: MessageBatch<AuditEntry | RequestSummary>, env: Env): Promise<void> {
  if (batch.messages.length === 0) return;
  const bodies = batch.messages.map((message) => message.body);
  const entries = bodies.filter((body): body is AuditEntry => !isRequestSummary(body));
  const summaries = bodies.filter(isRequestSummary);
  if (entries.length > 0) {
    const day = (entries[0]?.at ?? new Date().toISOString()).slice(0, 10).replaceAll("-", "/");
    const key = `audit/${day}/${await sha256Hex(entries.map((entry) => entry.id).join("\n"))}.ndjson`;
    await env.AUDIT_BUCKET.put(key, `${entries.map((entry) => JSON.stringify(entry)).join("\n")}\n`, {
      httpMetadata: { contentType: "application/x-ndjson" },
      customMetadata: { entries: String(entries.length) },
    });
  }
  if (summaries.length > 0) {
    const connection = await connect(env);
    try {
      await insertRequestLogs(connection.db, summaries);
      // Retention without a scheduler: about one batch in fifty also clears what is past 30 days.
      if (Math.random() < 0.02) await purgeExpiredRequestLogs(connection.db);
    } finally {
      await connection.close().catch(() => {});
    }
  }
  batch.ackAll();
}
