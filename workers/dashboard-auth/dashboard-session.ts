import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { enforceRateLimit } from "../rate-limits/rate-limit.js";
import { asStranger } from "../rate-limits/strangers.js";
import { type SessionCaller, sessionCaller } from "./session-caller.js";

/**
 * Guards a dashboard route with a live session: the same checks as a `/v1` request through the
 * session (signature, clocks, CSRF on changes, role), and the merchant's rate limit. Sets
 * `c.var.dashboard`, and `c.var.apiKey` as the user, so request logs and audit entries name them.
 */
export function dashboardSession(): MiddlewareHandler<AppEnv> {
  return async function dashboardSession(c, next) {
    const user = await asStranger(c, () => sessionCaller(c));
    c.set("dashboard", user);
    c.set("apiKey", user.caller);
    await enforceRateLimit(c, user.caller.merchantId, user.rateLimits);
    await next();
  };
}

/** The signed-in user of a route behind `dashboardSession()`. */
export function signedIn(c: Context<AppEnv>): SessionCaller {
  const dashboard = c.get("dashboard");
  if (!dashboard) throw new ApiError("session_missing");
  return dashboard;
}
