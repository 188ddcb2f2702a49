import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { parseApiKey } from "../../../common/api-key-secret.js";
import { presentedKey } from "../../../common/presented-key.js";
import type { VaultDatabase } from "../../db/vault-database.js";
import { VaultError } from "../../errors/vault-error.js";
import { hashCredentialSync } from "../../merchants/credential-hash.js";
import { findKeyByHash } from "../../merchants/merchant-access.repository.js";
import type { VaultEnv } from "../../vault-env.js";
import { peerAddress } from "../tokenization-rate-limit/client-address.js";
import { ipAllowed } from "./ip-allowlist.js";

/**
 * Verified-key lookups are cached for 30 s (bounded), as at the edge: a checkout page tokenizes
 * with the same publishable key again and again. A revoked or rolled key therefore stops working
 * here within 30 s, the bound the README documents for the edge too; expiry is rechecked on every use.
 */
const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 10_000;
type KeyRow = Awaited<ReturnType<typeof findKeyByHash>>;
const cache = new Map<string, { row: KeyRow; at: number }>();

async function lookup(db: VaultDatabase, hash: string): Promise<KeyRow> {
  const hit = cache.get(hash);
  if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.row;
  const row = await findKeyByHash(db, hash);
  if (row) {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(hash, { row, at: Date.now() });
  }
  return row;
}

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="vault", Basic realm="vault"' };

/**
 * Authenticates a tokenization request by the merchant's *publishable* key, looked up the way the
 * edge does it (HMAC-SHA256 under `API_KEY_PEPPER`, constant-time compare). A publishable key may
 * only tokenize (DESIGN.md), and a secret key is refused outright: this endpoint is called from
 * browsers, where a secret key must never be. A key with an IP allowlist works only from inside
 * it (403, as at the edge). Sets `c.var.caller`, with the key's mode.
 */
export function publishableKeyAuth(deps: { db: VaultDatabase; apiKeyPepper: string }): MiddlewareHandler<VaultEnv> {
  return async function publishableKeyAuth(c, next) {
    const key = presentedKey(c.req.header("Authorization"));
    if (!key) throw new VaultError("api_key_missing", { headers: CHALLENGE });
    const parsed = parseApiKey(key);
    if (!parsed) throw new VaultError("api_key_invalid", { headers: CHALLENGE });
    if (parsed.type !== "publishable") throw new VaultError("secret_key_not_allowed", { headers: CHALLENGE });

    const hash = hashCredentialSync(deps.apiKeyPepper, key);
    const found = await lookup(deps.db, hash);
    if (!found || !timingSafeEqual(Buffer.from(found.secretHash), Buffer.from(hash)) || found.type !== "publishable") {
      throw new VaultError("api_key_invalid", { headers: CHALLENGE });
    }
    if (found.revokedAt || (found.expiresAt && found.expiresAt.getTime() <= Date.now())) {
      throw new VaultError("api_key_expired", { headers: CHALLENGE });
    }
    if (found.merchantStatus !== "active") {
      throw new VaultError("api_key_invalid", { message: "This merchant account is disabled.", headers: CHALLENGE });
    }
    // The socket's peer, as the per-client rate limit counts it: never a header a client writes.
    if (!ipAllowed(found.allowedIps, peerAddress(c))) throw new VaultError("ip_not_allowed");
    c.set("caller", {
      apiKeyId: found.id,
      merchantId: found.merchantId,
      livemode: found.livemode,
      tokenizationOrigins: found.tokenizationOrigins,
    });
    await next();
  };
}
