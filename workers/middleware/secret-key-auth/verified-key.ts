import type { Context } from "hono";
import { hashCredential, parseApiKey } from "../../../common/api-key-secret.js";
import { presentedKey } from "../../../common/presented-key.js";
import { apiKeyCache, cacheTtlMs, type VerifiedKey } from "../../api-keys/api-key-cache.js";
import { findKeyByHash } from "../../api-keys/api-keys.repository.js";
import { parseAllowlist } from "../../api-keys/ip-allowlist.js";
import { type KeyRefusal, negativeKeyCache } from "../../api-keys/negative-key-cache.js";
import type { AppEnv } from "../../app-env.js";
import type { Database } from "../../db/database.js";
import { ApiError } from "../../errors/api-error.js";
import { timingSafeEqualHex } from "../../net/timing-safe.js";
import type { Stranger } from "../../rate-limits/strangers.js";

export const CHALLENGE = { "WWW-Authenticate": 'Basic realm="gateway", Bearer realm="gateway"' };

/** Lookups under way, by hash: a burst of one key (good or bad) costs one query, not one each. */
const inflight = new Map<string, Promise<VerifiedKey | KeyRefusal>>();

function refuse(hash: string, refusal: KeyRefusal, now: number): KeyRefusal {
  negativeKeyCache.set(hash, refusal, now);
  return refusal;
}

/** The key with this hash from Postgres, or why it is refused; either answer is cached. */
async function lookUp(db: Database, hash: string, now: number): Promise<VerifiedKey | KeyRefusal> {
  const found = await findKeyByHash(db, hash);
  // The lookup is by hash; the compare is constant-time anyway so no branch depends on how much
  // of a stored hash matched.
  if (!found || !timingSafeEqualHex(found.key.secretHash, hash)) return refuse(hash, { code: "api_key_invalid" }, now);
  if (found.key.revokedAt) return refuse(hash, { code: "api_key_expired" }, now);
  if (found.merchantStatus !== "active") {
    return refuse(hash, { code: "api_key_invalid", message: "This merchant account is disabled." }, now);
  }
  const verified: VerifiedKey = {
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
  return verified;
}

/**
 * The presented key, verified: from the isolate's cache of good keys, else refused from its cache
 * of bad ones (negative-key-cache.ts), else looked up in Postgres once however many requests
 * present it at the same time. The lookup spends the caller's stranger allowance up front (given
 * back if the key is good), so an address cannot run more lookups at once than it may fail.
 */
export async function verifiedKey(c: Context<AppEnv>, stranger: Stranger, now: number): Promise<VerifiedKey> {
  const key = presentedKey(c.req.header("Authorization"));
  if (!key) throw new ApiError("api_key_missing", { headers: CHALLENGE });
  if (!parseApiKey(key)) throw new ApiError("api_key_invalid", { headers: CHALLENGE });

  const hash = await hashCredential(c.env.API_KEY_PEPPER, key);
  let answer: VerifiedKey | KeyRefusal | undefined =
    apiKeyCache.get(hash, now, cacheTtlMs(c.env)) ?? negativeKeyCache.get(hash, now);
  if (!answer) {
    const lead = () => {
      stranger.reserve();
      const lookup = c.var.db().then((db) => lookUp(db, hash, now));
      inflight.set(hash, lookup);
      const done = () => inflight.get(hash) === lookup && inflight.delete(hash);
      lookup.then(done, done);
      return lookup;
    };
    // A follower waits for the lookup under way; if that fails (Postgres, or the request that
    // started it went away, which rejects a promise shared across requests), it looks up itself.
    answer = await (inflight.get(hash)?.catch(lead) ?? lead());
  }
  if ("code" in answer) throw new ApiError(answer.code, { message: answer.message, headers: CHALLENGE });
  return answer;
}
