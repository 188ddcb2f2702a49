import type { MiddlewareHandler } from "hono";
import type { VaultDatabase } from "../../db/vault-database.js";
import { VaultError } from "../../errors/vault-error.js";
import { registeredTokenizationOrigins } from "../../merchants/merchant-access.repository.js";
import { RegisteredOrigins } from "../../merchants/registered-origins.js";
import type { VaultEnv } from "../../vault-env.js";

const ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key";
const PREFLIGHT_MAX_AGE_SECONDS = "600";

/**
 * CORS for the tokenization endpoint (Fetch standard §3.2), limited to origins merchants
 * registered in `merchants.tokenization_origins`:
 * - a preflight (no credentials) is answered for an origin some active merchant registered;
 * - an actual request gets `Access-Control-Allow-Origin` only if the authenticated caller's
 *   merchant registered that origin, and one from any other origin is refused before it
 *   tokenizes (see `assertTokenizationOrigin`).
 * Any other origin gets no CORS headers at all, so the browser withholds the response.
 * No `Allow-Credentials`: the endpoint takes no cookies.
 */
export function tokenizationCors(deps: { db: VaultDatabase }): MiddlewareHandler<VaultEnv> {
  const registered = new RegisteredOrigins(() => registeredTokenizationOrigins(deps.db));
  return async function tokenizationCors(c, next) {
    const origin = c.req.header("Origin");
    if (c.req.method === "OPTIONS") {
      c.header("Vary", "Origin");
      if (origin && (await registered.has(origin))) {
        c.header("Access-Control-Allow-Origin", origin);
        c.header("Access-Control-Allow-Methods", "POST");
        c.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        c.header("Access-Control-Max-Age", PREFLIGHT_MAX_AGE_SECONDS);
      }
      return c.body(null, 204);
    }
    await next();
    c.res.headers.append("Vary", "Origin");
    if (origin && c.var.caller?.tokenizationOrigins.includes(origin)) {
      c.res.headers.set("Access-Control-Allow-Origin", origin);
      c.res.headers.set("Access-Control-Expose-Headers", "Request-Id");
    }
  };
}

/**
 * Refuses a browser request from an origin the caller's merchant did not register, before
 * anything is stored. A request without `Origin` is a server-side call and passes, and so does
 * the vault's own origin: that is the hosted card frame of `pay.js`, which the vault only serves
 * inside a registered origin (`browser.routes.ts`).
 */
export function assertTokenizationOrigin(): MiddlewareHandler<VaultEnv> {
  return async function assertTokenizationOrigin(c, next) {
    const origin = c.req.header("Origin");
    const own = new URL(c.req.url).origin;
    if (origin !== undefined && origin !== own && !c.var.caller?.tokenizationOrigins.includes(origin)) {
      throw new VaultError("origin_not_allowed");
    }
    await next();
  };
}
