import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../../app-env.js";

/**
 * Headers every answer carries: no sniffing, no framing, no referrer, HSTS, and `no-store`, since
 * API answers hold account data no shared cache should keep. No CORS headers: browsers call only
 * the vault's tokenization endpoint, which has its own per-merchant CORS.
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  const secure = secureHeaders({
    strictTransportSecurity: "max-age=63072000; includeSubDomains; preload",
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    // A page that sets its own, still strict, policy keeps it (`/docs`: scripts by hash only).
    overwrite: false,
  });
  return async function securityHeaders(c, next) {
    await secure(c, async () => {
      await next();
      if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
    });
  };
}
