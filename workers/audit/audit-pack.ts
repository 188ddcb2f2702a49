import type { AuditEntry } from "./audit-entry.js";

/**
 * Audit entries made together (a projection batch's transitions, a cron run's work) travelling as
 * one `audit-log` message. Queues counts, limits and bills messages, not entries: one message per
 * transition made the audit-log queue the first queue to bind as load grows (5.45 messages a
 * payment, at its 5,000 a second; docs/capacity.md), and each message was a send, a dispatch and
 * an acknowledgement for Miniflare's broker locally. The consumer appends a pack's entries as if
 * they had come one by one.
 */
export interface AuditPack {
  kind: "audit_pack";
  entries: AuditEntry[];
}

/** Queues' limits: 128 KB a message, 100 messages and 256 KB a `sendBatch`; kept under with room. */
export const PACK_BYTES = 100_000;
const BATCH_BYTES = 240_000;
const BATCH_MESSAGES = 100;

export function isAuditPack(body: unknown): body is AuditPack {
  return typeof body === "object" && body !== null && (body as { kind?: unknown }).kind === "audit_pack";
}

/**
 * Entries as packs of at most `PACK_BYTES` of JSON each, in order, grouped into `sendBatch` calls
 * within Queues' limits. An entry larger than a pack alone goes in a pack alone (the queue then
 * refuses it loudly, as it would have refused the entry).
 */
export function packAudit(entries: readonly AuditEntry[]): AuditPack[][] {
  const encoder = new TextEncoder();
  const packs: { pack: AuditPack; bytes: number }[] = [];
  let current: { pack: AuditPack; bytes: number } | undefined;
  for (const entry of entries) {
    const bytes = encoder.encode(JSON.stringify(entry)).length + 1;
    if (!current || current.bytes + bytes > PACK_BYTES) {
      current = { pack: { kind: "audit_pack", entries: [] }, bytes: 40 };
      packs.push(current);
    }
    current.pack.entries.push(entry);
    current.bytes += bytes;
  }
  const batches: AuditPack[][] = [];
  let batch: AuditPack[] = [];
  let batchBytes = 0;
  for (const { pack, bytes } of packs) {
    if (batch.length > 0 && (batch.length === BATCH_MESSAGES || batchBytes + bytes > BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      batchBytes = 0;
    }
    batch.push(pack);
    batchBytes += bytes;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
