import type { Context } from "hono";
import { newId } from "../../common/ids.js";
import type { AppEnv } from "../app-env.js";
import { describeError, log } from "../logging/logger.js";
import type { AuditEntry } from "./audit-entry.js";

/** An audit entry for a change this request made, its actor the request's key or ops client. */
export function auditEntry(
  c: Context<AppEnv>,
  action: string,
  targetId: string,
  details: AuditEntry["details"] = {},
): AuditEntry {
  const apiKey = c.get("apiKey");
  const ops = c.get("opsPrincipal");
  return {
    id: newId("auditEntry"),
    at: new Date().toISOString(),
    action,
    target_id: targetId,
    actor: apiKey
      ? { kind: "api_key", id: apiKey.id, merchant_id: apiKey.merchantId }
      : { kind: "ops_client", id: ops?.clientId ?? "unknown", merchant_id: null },
    request_id: c.get("requestId"),
    details,
  };
}

/**
 * Sends an audit entry to the `audit-log` queue. A failed send is logged loudly but does not
 * fail the merchant's request, which has already taken effect; the request log line carries the
 * same facts.
 */
export async function sendAudit(env: Pick<Env, "AUDIT_LOG">, entry: AuditEntry): Promise<void> {
  try {
    await env.AUDIT_LOG.send(entry, { contentType: "json" });
  } catch (error) {
    log("error", "audit entry not queued", {
      request_id: entry.request_id,
      action: entry.action,
      ...describeError(error),
    });
  }
}

/** Records a change after it has committed (PCI DSS 10.2.2: who did what to which object, when). */
export async function recordAudit(
  c: Context<AppEnv>,
  action: string,
  targetId: string,
  details: AuditEntry["details"] = {},
): Promise<void> {
  await sendAudit(c.env, auditEntry(c, action, targetId, details));
}
