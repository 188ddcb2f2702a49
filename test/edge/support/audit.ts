import { env } from "cloudflare:test";
import { CHAIN_PREFIX, chainEntries } from "../../../common/audit-chain/chain-object.js";
import type { AuditEntry } from "../../../workers/audit/audit-entry.js";

/** Chain objects are never rewritten: each is read once (keyed by its key and etag, should a test rewrite one). */
const read = new Map<string, AuditEntry[]>();

/** Every entry in the audit trail so far: the entries of the chain's objects the audit-log consumer had sealed in R2. */
export async function auditTrail(): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const listed = await env.AUDIT_BUCKET.list({ prefix: CHAIN_PREFIX, ...(cursor ? { cursor } : {}) });
    for (const object of listed.objects) {
      const id = `${object.key} ${object.etag}`;
      let held = read.get(id);
      if (!held) {
        const stored = await env.AUDIT_BUCKET.get(object.key);
        held = stored ? chainEntries<AuditEntry>(new Uint8Array(await stored.arrayBuffer())) : [];
        read.set(id, held);
      }
      entries.push(...held);
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
