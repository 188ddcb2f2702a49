import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { hashCredential, parseApiKey } from "../../../common/api-key-secret.js";
import { presentedKey } from "../../../common/presented-key.js";
import type { VaultDatabase } from "../../db/vault-database.js";
import { VaultError } from "../../errors/vault-error.js";
import { findKeyByHash } from "../../merchants/merchant-access.repository.js";
import type { VaultEnv } from "../../vault-env.js";

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="vault", Basic realm="vault"' };

/**
 * Authenticates a tokenization request by the merchant's *publishable* key, looked up the way the
 * edge does it (HMAC-SHA256 under `API_KEY_PEPPER`, constant-time compare). A publishable key may
 * only tokenize (DESIGN.md), and a secret key is refused outright: this endpoint is called from
 * browsers, where a secret key must never be. Sets `c.var.caller`.
 */
export function publishableKeyAuth(deps: { db: VaultDatabase; apiKeyPepper: string }): MiddlewareHandler<VaultEnv> {
  return async function publishableKeyAuth(c, next) {
    const key = presentedKey(c.req.header("Authorization"));
    if (!key) throw new VaultError("api_key_missing", { headers: CHALLENGE });
    const parsed = parseApiKey(key);
    if (!parsed) throw new VaultError("api_key_invalid", { headers: CHALLENGE });
    if (parsed.type !== "publishable") throw new VaultError("secret_key_not_allowed", { headers: CHALLENGE });

    const hash = await hashCredential(deps.apiKeyPepper, key);
    const found = await findKeyByHash(deps.db, hash);
    if (!found || !timingSafeEqual(Buffer.from(found.secretHash), Buffer.from(hash)) || found.type !== "publishable") {
      throw new VaultError("api_key_invalid", { headers: CHALLENGE });
    }
    if (found.revokedAt || (found.expiresAt && found.expiresAt.getTime() <= Date.now())) {
      throw new VaultError("api_key_expired", { headers: CHALLENGE });
    }
    if (found.merchantStatus !== "active") {
      throw new VaultError("api_key_invalid", { message: "This merchant account is disabled.", headers: CHALLENGE });
    }
    c.set("caller", {
      apiKeyId: found.id,
      merchantId: found.merchantId,
      livemode: found.livemode,
      tokenizationOrigins: found.tokenizationOrigins,
    });
    await next();
  };
}
