import type { Context } from "hono";
import { newId } from "../../common/ids.js";
import { sha256Hex } from "../../common/sha256-hex.js";
import type { AppEnv } from "../app-env.js";
import { describeError, log } from "../logging/logger.js";
import type { AuditActor, AuditEntry } from "./audit-entry.js";
import { packAudit } from "./audit-pack.js";

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
      ? { kind: apiKey.dashboardRole ? "dashboard_user" : "api_key", id: apiKey.id, merchant_id: apiKey.merchantId }
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

/** Records a change whose actor the request has not been authenticated as (the token endpoint's client). */
export async function recordAuditAs(
  c: Context<AppEnv>,
  actor: AuditActor,
  action: string,
  targetId: string,
  details: AuditEntry["details"] = {},
): Promise<void> {
  await sendAudit(c.env, { ...auditEntry(c, action, targetId, details), actor });
}

/**
 * The id of an entry derived from a fact that has its own identity (a payment's transition, a
 * vault access row, a request): the same fact always gives the same id, so the chain drops it
 * when it comes again (queue redelivery, a repeated read of the vault's log).
 */
export async function derivedAuditId(source: string): Promise<string> {
  return `aud_${(await sha256Hex(source)).slice(0, 32)}`;
}

/**
 * An entry for what the gateway did on its own (cron work, a consumer's): the actor names the
 * part. Its id derives from the action and target, so doing the same thing again (an idempotent
 * rerun) chains it once.
 */
export async function systemAuditEntry(
  part: string,
  action: string,
  target: { id: string; merchantId: string | null },
  details: AuditEntry["details"] = {},
): Promise<AuditEntry> {
  return {
    id: await derivedAuditId(`${action}:${target.id}`),
    at: new Date().toISOString(),
    action,
    target_id: target.id,
    actor: { kind: "system", id: part, merchant_id: target.merchantId },
    request_id: null,
    details,
  };
}

/**
 * Queues entries made off any request (queue consumers, cron work), packed into as few messages
 * as Queues' limits allow. Throws when the queue
 * refuses them: the caller's message is then retried, and the chain drops what it already holds.
 */
export async function queueAudit(env: Pick<Env, "AUDIT_LOG">, entries: readonly AuditEntry[]): Promise<void> {
  // Packed: a message carries many entries (audit-pack.ts), as many as Queues lets one carry.
  for (const packs of packAudit(entries)) {
    await env.AUDIT_LOG.sendBatch(packs.map((body) => ({ body, contentType: "json" as const })));
  }
}
