import type { Context } from "hono";
import { newId } from "../../common/ids.js";
import type { AppEnv } from "../app-env.js";
import { describeError, log } from "../logging/logger.js";
import type { AuditEntry } from "./audit-entry.js";

/**
 * Sends an audit entry to the `audit-log` queue after the change it records has committed.
 * A failed send is logged loudly but does not fail the merchant's request, which has already
 * taken effect; the request log line carries the same facts.
 */
export async function recordAudit(
  c: Context<AppEnv>,
  action: string,
  targetId: string,
  details: AuditEntry["details"] = {},
): Promise<void> {
  const apiKey = c.get("apiKey");
  const ops = c.get("opsPrincipal");
  const entry: AuditEntry = {
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
  try {
    await c.env.AUDIT_LOG.send(entry, { contentType: "json" });
  } catch (error) {
    log("error", "audit entry not queued", { request_id: entry.request_id, action, ...describeError(error) });
  }
}
