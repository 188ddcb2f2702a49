import type { Context } from "hono";
import type { SessionData } from "../../durable-objects/dashboard-session/dashboard-session.types.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { timingSafeEqualHex } from "../net/timing-safe.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const isSafeMethod = (method: string) => SAFE_METHODS.has(method.toUpperCase());

/**
 * The request comes from a page of the gateway itself: its `Origin` header (sent by every browser
 * on a non-GET fetch or form post, RFC 6454 §7) is this gateway's origin. OWASP's CSRF cheat sheet
 * pairs this check with the token below; either alone leaves a gap (a missing header, a leaked token).
 */
export function assertSameOrigin(c: Context<AppEnv>): void {
  if (c.req.header("Origin") !== new URL(c.req.url).origin) throw new ApiError("origin_not_allowed");
}

/**
 * A change through a session (any method but GET, HEAD, OPTIONS) proves it was made by the
 * dashboard's own page: the same origin, and the session's synchronizer token in `X-CSRF-Token`
 * (a cross-site page cannot read it). Compared in constant time.
 */
export function assertCsrf(c: Context<AppEnv>, session: SessionData): void {
  if (isSafeMethod(c.req.method)) return;
  assertSameOrigin(c);
  const token = c.req.header("X-CSRF-Token") ?? "";
  if (!timingSafeEqualHex(token, session.csrfToken)) {
    throw new ApiError("csrf_token_invalid", { param: "X-CSRF-Token" });
  }
}
