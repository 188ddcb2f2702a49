import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app-env.js";
import { log } from "../../logging/logger.js";

/**
 * One structured line per request: method, path, status, latency, merchant and request id.
 * The query string is left out (it is where careless clients put keys); the logger redacts the rest.
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
  };
}
