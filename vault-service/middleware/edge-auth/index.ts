import type { MiddlewareHandler } from "hono";
import type { BoundRequest } from "../../../common/request-binding.js";
import { VaultError } from "../../errors/vault-error.js";
import type { EdgeTokenCheck } from "../../internal/edge-token.js";
import { log } from "../../logging/logger.js";
import type { VaultEnv } from "../../vault-env.js";

/** Checks a bearer service token against the request it arrived on. */
export type EdgeTokenVerifier = (token: string, request: BoundRequest) => Promise<EdgeTokenCheck>;

/**
 * Admits only the edge: a bearer service token it signed for this one call (audience `vault`,
 * at most 60 s, never reused, naming this method, path and body). The body's hash is taken over
 * the raw bytes received (the app's body limit has already bounded them), not a re-serialization.
 * Why a token failed goes to the log, not to the caller. The payment it was signed for (its
 * subject) is `edgeSubject`, for the routes to bind operations to.
 */
export function edgeAuth(verify: EdgeTokenVerifier): MiddlewareHandler<VaultEnv> {
  return async function edgeAuth(c, next) {
    const [scheme, token] = c.req.header("Authorization")?.trim().split(/\s+/) ?? [];
    const check =
      scheme?.toLowerCase() === "bearer" && token
        ? await verify(token, {
            method: c.req.method,
            path: c.req.path,
            body: await c.req.arrayBuffer(),
          })
        : { ok: false as const, reason: "missing" };
    if (!check.ok) {
      log("warn", "internal API call refused", { request_id: c.get("requestId"), reason: check.reason });
      throw new VaultError("edge_token_invalid", { headers: { "WWW-Authenticate": 'Bearer realm="vault-internal"' } });
    }
    c.set("edgeSubject", check.subject);
    await next();
  };
}
