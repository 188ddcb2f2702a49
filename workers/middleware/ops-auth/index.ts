import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app-env.js";
import { ApiError } from "../../errors/api-error.js";
import type { OpsScope } from "../../oauth/ops-scopes.js";
import { verifyOpsToken } from "../../oauth/ops-token.js";
import { enforceOpsRateLimit } from "../../rate-limits/ops-rate-limit.js";
import { asStranger } from "../../rate-limits/strangers.js";

/**
 * Guards an ops route with an OAuth 2.0 bearer access token holding `scope` (RFC 6750 §3.1
 * challenges on failure), then counts the request against its client's rate limit. Until the
 * token checks out the caller is a stranger, limited by address. Sets `c.var.opsPrincipal`.
 */
export function opsAuth(scope: OpsScope): MiddlewareHandler<AppEnv> {
  return async function opsAuth(c, next) {
    const principal = await asStranger(c, async () => {
      const [scheme, token, extra] = c.req.header("Authorization")?.trim().split(/\s+/) ?? [];
      if (scheme?.toLowerCase() !== "bearer" || !token || extra !== undefined) {
        throw new ApiError("ops_token_missing", { headers: { "WWW-Authenticate": 'Bearer realm="gateway-ops"' } });
      }
      try {
        return await verifyOpsToken(c.env, token);
      } catch (error) {
        if (error instanceof ApiError) {
          throw new ApiError(error.code, {
            cause: error,
            headers: { "WWW-Authenticate": 'Bearer realm="gateway-ops", error="invalid_token"' },
          });
        }
        throw error;
      }
    });
    if (!principal.scopes.has(scope)) {
      throw new ApiError("insufficient_scope", {
        message: `This route needs the ${scope} scope.`,
        headers: { "WWW-Authenticate": `Bearer realm="gateway-ops", error="insufficient_scope", scope="${scope}"` },
      });
    }
    c.set("opsPrincipal", principal);
    await enforceOpsRateLimit(c, principal.clientId);
    await next();
  };
}
