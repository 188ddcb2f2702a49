import type { MiddlewareHandler } from "hono";
import { log } from "../../logging/logger.js";
import type { VaultEnv } from "../../vault-env.js";

/**
 * One structured line per request. Never the body, the query string or the headers: in this zone
 * they are where card numbers, security codes and keys travel.
 */
export function requestLog(): MiddlewareHandler<VaultEnv> {
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
      merchant_id: c.get("caller")?.merchantId ?? null,
      api_key_id: c.get("caller")?.apiKeyId ?? null,
    });
  };
}
