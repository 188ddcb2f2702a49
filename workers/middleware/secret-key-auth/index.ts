import type { MiddlewareHandler } from "hono";
import { hashCredential, parseApiKey } from "../../../common/api-key-secret.js";
import { presentedKey } from "../../../common/presented-key.js";
import { apiKeyCache, cacheTtlMs, type VerifiedKey } from "../../api-keys/api-key-cache.js";
import { findKeyByHash } from "../../api-keys/api-keys.repository.js";
import { assertIpAllowed, parseAllowlist } from "../../api-keys/ip-allowlist.js";
import type { AppEnv } from "../../app-env.js";
import { ApiError } from "../../errors/api-error.js";
import { timingSafeEqualHex } from "../../net/timing-safe.js";
import { enforceRateLimit } from "../../rate-limits/rate-limit.js";

const CHALLENGE = { "WWW-Authenticate": 'Basic realm="gateway", Bearer realm="gateway"' };

/**
 * Authenticates a merchant by API key. Publishable keys are refused unless `allowPublishable`
 * (they may only tokenize, which happens at the vault). Sets `c.var.apiKey`.
 */
export function secretKeyAuth(options: { allowPublishable?: boolean } = {}): MiddlewareHandler<AppEnv> {
  return async function secretKeyAuth(c, next) {
    const key = presentedKey(c.req.header("Authorization"));
    if (!key) throw new ApiError("api_key_missing", { headers: CHALLENGE });
    const parsed = parseApiKey(key);
    if (!parsed) throw new ApiError("api_key_invalid", { headers: CHALLENGE });

    const hash = await hashCredential(c.env.API_KEY_PEPPER, key);
    const now = Date.now();
    let verified = apiKeyCache.get(hash, now, cacheTtlMs(c.env));
    if (!verified) {
      const found = await findKeyByHash(await c.var.db(), hash);
      // The lookup is by hash; the compare is constant-time anyway so no branch depends on how
      // much of a stored hash matched.
      if (!found || !timingSafeEqualHex(found.key.secretHash, hash)) {
        throw new ApiError("api_key_invalid", { headers: CHALLENGE });
      }
      if (found.key.revokedAt) throw new ApiError("api_key_expired", { headers: CHALLENGE });
      if (found.merchantStatus !== "active") {
        throw new ApiError("api_key_invalid", { message: "This merchant account is disabled.", headers: CHALLENGE });
      }
      verified = {
        id: found.key.id,
        merchantId: found.key.merchantId,
        type: found.key.type as VerifiedKey["type"],
        livemode: found.key.livemode,
        allowedIps: parseAllowlist(found.key.allowedIps),
        expiresAt: found.key.expiresAt?.getTime() ?? null,
        rateLimits: found.merchantRateLimits,
        apiVersion: found.merchantApiVersion,
      };
      apiKeyCache.set(hash, verified, now);
    }
    if (verified.expiresAt !== null && verified.expiresAt <= now) {
      throw new ApiError("api_key_expired", { headers: CHALLENGE });
    }
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
    // The gateway's chain for a merchant: who is calling, from where, and then how often.
    await enforceRateLimit(c, verified.merchantId, verified.rateLimits);
    await next();
  };
}
