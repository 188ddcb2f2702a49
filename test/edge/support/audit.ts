import { env } from "cloudflare:test";
import type { AuditEntry } from "../../../workers/audit/audit-entry.js";

/** Every entry in the audit trail so far: the NDJSON objects the audit-log consumer put in R2. */
export async function auditTrail(): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const listed = await env.AUDIT_BUCKET.list({ prefix: "audit/", ...(cursor ? { cursor } : {}) });
    for (const object of listed.objects) {
      const text = (await (await env.AUDIT_BUCKET.get(object.key))?.text()) ?? "";
      for (const line of text.split("\n")) if (line.trim()) entries.push(JSON.parse(line) as AuditEntry);
    }
    cursor = listed.truncated ? listed.cursor : undefined;
  } while (cursor);
  return entries;
}

/**
 * The trail's entries that `match`, once there are `count` of them: entries arrive through the
 * audit-log queue (batched for up to a second), so this polls for up to 15 s.
 */
export async function audited(match: (entry: AuditEntry) => boolean, count = 1): Promise<AuditEntry[]> {
  const deadline = Date.now() + 15_000;
  let found = (await auditTrail()).filter(match);
  while (found.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    found = (await auditTrail()).filter(match);
  }
  return found;
}

/** Waits out one more audit-log batch, so an entry that should not exist has had its chance. */
export const afterNextAuditBatch = () => new Promise((resolve) => setTimeout(resolve, 2_500));
