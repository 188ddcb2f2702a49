import type { Context } from "hono";
import { redact } from "../../common/redact.js";
import type { AppEnv } from "../app-env.js";
import type { RequestSummary } from "../request-logs/request-summary.js";
import type { AuditEntry } from "./audit-entry.js";
import { auditEntry, derivedAuditId } from "./audit-log.js";

/**
 * Every use of a merchant's API key, reads included (PCI DSS 10.2.1: individual access; the issue's
 * "key use"): the request summary the key's request already sends to the audit-log queue becomes
 * an `api_key.used` entry in the chain, as well as a row of the merchant's request log. Its id
 * derives from the request id, so a redelivered summary is not chained twice. The path is
 * redacted as the request log's is; never the query string or body.
 */
export async function keyUseEntry(summary: RequestSummary): Promise<AuditEntry> {
  const keyId = summary.api_key_id ?? "unknown";
  return {
    id: await derivedAuditId(`api_key.used:${summary.id}`),
    at: summary.at,
    action: "api_key.used",
    target_id: keyId,
    // A dashboard user's request through its session carries the user's id (`usr_`) instead.
    actor: {
      kind: keyId.startsWith("usr_") ? "dashboard_user" : "api_key",
      id: keyId,
      merchant_id: summary.merchant_id,
    },
    request_id: summary.id,
    details: {
      method: summary.method,
      path: summary.path,
      status: summary.status,
      error_code: summary.error_code,
      livemode: summary.livemode ?? null,
    },
  };
}

/** Every use of an ops client's token, reads included: who looked at or changed what, and how it ended. */
export function opsUseEntry(c: Context<AppEnv>, status: number): AuditEntry {
  const clientId = c.get("opsPrincipal")?.clientId ?? "unknown";
  return auditEntry(c, "ops_client.used", clientId, {
    method: c.req.method,
    path: redact(c.req.path),
    status,
  });
}
