import type { AuditEntry } from "./audit-entry.js";

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Writes a batch of audit entries to R2 as one NDJSON object under `audit/YYYY/MM/DD/`. The object
 * key is derived from the entries' ids, so a redelivered batch overwrites the same object instead
 * of duplicating it. A failed write throws, and the queue redelivers (then dead-letters).
 */
export async function consumeAuditBatch(batch: MessageBatch<AuditEntry>, env: Env): Promise<void> {
  if (batch.messages.length === 0) return;
  const entries = batch.messages.map((message) => message.body);
  const day = (entries[0]?.at ?? new Date().toISOString()).slice(0, 10).replaceAll("-", "/");
  const key = `audit/${day}/${await sha256Hex(entries.map((entry) => entry.id).join("\n"))}.ndjson`;
  await env.AUDIT_BUCKET.put(key, `${entries.map((entry) => JSON.stringify(entry)).join("\n")}\n`, {
    httpMetadata: { contentType: "application/x-ndjson" },
    customMetadata: { entries: String(entries.length) },
  });
  batch.ackAll();
}
