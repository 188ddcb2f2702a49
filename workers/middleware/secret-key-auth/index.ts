import type { MiddlewareHandler } from "hono";
import { assertIpAllowed } from "../../api-keys/ip-allowlist.js";
import { noteKeyUse } from "../../api-keys/new-ip-audit.js";
import type { AppEnv } from "../../app-env.js";
import { presentsSession, sessionCaller } from "../../dashboard-auth/session-caller.js";
import { ApiError } from "../../errors/api-error.js";
import { enforceRateLimit } from "../../rate-limits/rate-limit.js";
import { asStranger } from "../../rate-limits/strangers.js";
import { timedStage } from "../server-timing/timing-scope.js";
import { CHALLENGE, verifiedKey } from "./verified-key.js";

/**
 * Authenticates a merchant by API key. Publishable keys are refused unless `allowPublishable`
 * (they may only tokenize, which happens at the vault). Sets `c.var.apiKey`. A request without
 * an `Authorization` header but with a dashboard session cookie is a dashboard user's: it passes
 * with the session's checks instead (workers/dashboard-auth/session-caller.ts) as the same
 * caller shape, so the dashboard uses this very API.
 */
export function secretKeyAuth(options: { allowPublishable?: boolean } = {}): MiddlewareHandler<AppEnv> {
  return async function secretKeyAuth(c, next) {
    if (!c.req.header("Authorization") && presentsSession(c)) {
      const user = await timedStage("auth", () => asStranger(c, () => sessionCaller(c)));
      c.set("apiKey", user.caller);
      c.set("merchantApiVersion", user.apiVersion);
      if (!c.var.apiVersion) c.set("apiVersion", user.apiVersion);
      await timedStage("ratelimit", () => enforceRateLimit(c, user.caller.merchantId, user.rateLimits));
      return next();
    }
    const now = Date.now();
    // Until the key checks out the caller is a stranger, limited by address (strangers.ts).
    const verified = await timedStage("auth", () =>
      asStranger(c, async (stranger) => {
        const key = await verifiedKey(c, stranger, now);
        if (key.expiresAt !== null && key.expiresAt <= now) {
          throw new ApiError("api_key_expired", { headers: CHALLENGE });
        }
        return key;
      }),
    );
    if (verified.type === "publishable" && !options.allowPublishable) {
      throw new ApiError("publishable_key_not_allowed", { headers: CHALLENGE });
    }
    assertIpAllowed(verified.allowedIps, c.req.header("CF-Connecting-IP"));
    c.set("apiKey", {
      id: verified.id,
      merchantId: verified.merchantId,
      type: verified.type,
      livemode: verified.livemode,
      allowedIps: verified.allowedIps,
      rollingOver: verified.expiresAt !== null,
    });
    c.set("merchantApiVersion", verified.apiVersion);
    if (!c.var.apiVersion) c.set("apiVersion", verified.apiVersion);
    noteKeyUse(c, verified.id);
    // The gateway's chain for a merchant: who is calling, from where, and then how often.
    await timedStage("ratelimit", () => enforceRateLimit(c, verified.merchantId, verified.rateLimits));
    await next();
  };
}
