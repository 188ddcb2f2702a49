import type { MiddlewareHandler } from "hono";
import { redact } from "../../../common/redact.js";
import type { AppEnv } from "../../app-env.js";
import { sendAudit } from "../../audit/audit-log.js";
import { opsUseEntry } from "../../audit/key-use-audit.js";
import { describeError, log } from "../../logging/logger.js";
import type { RequestSummary } from "../../request-logs/request-summary.js";

/**
 * One structured line per request: method, path, status, latency, merchant and request id.
 * The query string is left out (it is where careless clients put keys); the logger redacts the rest.
 * A merchant's request also goes, summarized the same way, to their 30-day request log (and, as
 * the key's use, to the audit trail); an ops client's, to the audit trail.
 */
export function requestLog(): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = Date.now();
    await next();
    const status = c.res.status;
    log(status >= 500 ? "error" : "info", "request", {
      request_id: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status,
      latency_ms: Date.now() - started,
      merchant_id: c.get("apiKey")?.merchantId ?? null,
      api_key_id: c.get("apiKey")?.id ?? null,
      ops_client_id: c.get("opsPrincipal")?.clientId ?? null,
    });
    const apiKey = c.get("apiKey");
    if (apiKey) {
      // The merchant's request log (GET /v1/request_logs), off the request path.
      const summary: RequestSummary = {
        kind: "request",
        id: c.get("requestId"),
        at: new Date(started).toISOString(),
        merchant_id: apiKey.merchantId,
        api_key_id: apiKey.id,
        livemode: apiKey.livemode,
        method: c.req.method,
        path: redact(c.req.path),
        status,
        latency_ms: Date.now() - started,
        error_code: c.get("errorCode") ?? null,
        api_version: c.get("apiVersion") ?? null,
      };
      const sent = c.env.AUDIT_LOG.send(summary).catch((error: unknown) =>
        log("warn", "request log summary not queued", { request_id: summary.id, ...describeError(error) }),
      );
      try {
        c.executionCtx.waitUntil(sent);
      } catch {
        await sent; // no execution context (a direct app.request call): finish before answering
      }
    } else if (c.get("opsPrincipal")) {
      // An ops client's every use goes to the audit trail (a key's, through its summary above).
      const sent = sendAudit(c.env, opsUseEntry(c, status));
      try {
        c.executionCtx.waitUntil(sent);
      } catch {
        await sent;
      }
    }
  };
}
