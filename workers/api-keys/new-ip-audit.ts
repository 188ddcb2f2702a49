import type { Context } from "hono";
import { parseIp } from "../../common/cidr.js";
import type { AppEnv } from "../app-env.js";
import { auditEntry, sendAudit } from "../audit/audit-log.js";
import { connect } from "../db/database.js";
import { describeError, log } from "../logging/logger.js";
import { markKeySeenFrom } from "./api-key-ips.repository.js";

/** A pair this isolate has noted is not written again for this long (`last_seen` is that coarse). */
const NOTED_FOR_MS = 60 * 60_000;
const MAX_PAIRS = 10_000;
const noted = new Map<string, number>();

/**
 * The first use of a key from an address it has not been seen with lately writes
 * `api_key.new_ip` to the audit trail: a stolen key in a stranger's hands shows up as a use from
 * somewhere new, for the daily review of security events (PCI DSS 10.4.1). Cheap on
 * the request: an isolate-local set answers the common case in memory, and the durable check
 * (`api_key_ips`, which keeps other isolates from announcing the pair again) runs after the
 * response under `waitUntil`. The address is `CF-Connecting-IP`, set by Cloudflare's edge.
 */
export function noteKeyUse(c: Context<AppEnv>, keyId: string): void {
  const header = c.req.header("CF-Connecting-IP")?.trim().toLowerCase();
  if (!header || !parseIp(header)) return;
  const pair = `${keyId} ${header}`;
  const now = Date.now();
  const at = noted.get(pair);
  if (at !== undefined && now - at < NOTED_FOR_MS) return;
  noted.delete(pair);
  if (noted.size >= MAX_PAIRS) {
    const oldest = noted.keys().next();
    if (!oldest.done) noted.delete(oldest.value);
  }
  noted.set(pair, now);
  const entry = auditEntry(c, "api_key.new_ip", keyId, { ip: header });
  c.executionCtx.waitUntil(
    announceIfNew(c.env, keyId, header, entry).catch((error: unknown) => {
      // Not noted after all: the next request from the pair tries again.
      noted.delete(pair);
      log("warn", "key use from an address not recorded", { request_id: entry.request_id, ...describeError(error) });
    }),
  );
}

async function announceIfNew(env: Env, keyId: string, ip: string, entry: ReturnType<typeof auditEntry>) {
  // Its own connection: the request's closes with the response, and this runs after it.
  const connection = await connect(env);
  try {
    // The entry is queued before the pair's row commits: if the queue refuses it, the row rolls
    // back and the next use announces again. At least once, never a pair noted with no entry.
    await connection.db.transaction(async (tx) => {
      if (await markKeySeenFrom(tx, keyId, ip)) await sendAudit(env, entry);
    });
  } finally {
    await connection.close().catch(() => {});
  }
}
