import type { CidrBlock } from "../../common/cidr.js";
import type { AuthenticatedKey } from "../app-env.js";
import type { GroupLimit } from "../rate-limits/endpoint-groups.js";
import type { ApiVersion } from "../versions/api-versions.js";

/** What the auth middleware needs to accept a key without a database round trip. */
export interface VerifiedKey extends Omit<AuthenticatedKey, "rollingOver"> {
  allowedIps: CidrBlock[];
  expiresAt: number | null;
  /** The merchant's rate-limit overrides (cached with the key, so they apply within the TTL). */
  rateLimits: Partial<Record<string, GroupLimit>>;
  /** The merchant's default API version, cached likewise. */
  apiVersion: ApiVersion;
}

interface Entry {
  key: VerifiedKey;
  cachedAt: number;
}

const MAX_ENTRIES = 10_000;
const entries = new Map<string, Entry>();

/**
 * Isolate-local cache of verified keys, keyed by the key's hash (never the key). A revocation is
 * seen at once by the isolate that made it (`forgetKey`) and by every other isolate within the
 * TTL (`API_KEY_CACHE_TTL_SECONDS`, 30 s, capped at 60 s). Expiry of rolled keys is checked on
 * every hit, so the overlap a merchant chose is exact.
 */
export const apiKeyCache = {
  get(hash: string, now: number, ttlMs: number): VerifiedKey | undefined {
    const entry = entries.get(hash);
    if (!entry) return undefined;
    if (now - entry.cachedAt >= ttlMs) {
      entries.delete(hash);
      return undefined;
    }
    return entry.key;
  },

  set(hash: string, key: VerifiedKey, now: number): void {
    if (entries.size >= MAX_ENTRIES) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.set(hash, { key, cachedAt: now });
  },

  forgetKey(keyId: string): void {
    for (const [hash, entry] of entries) if (entry.key.id === keyId) entries.delete(hash);
  },

  /** After a change to the merchant's cached settings (its default API version). */
  forgetMerchant(merchantId: string): void {
    for (const [hash, entry] of entries) if (entry.key.merchantId === merchantId) entries.delete(hash);
  },

  clear(): void {
    entries.clear();
  },
};

/** The TTL from config, clamped to the documented 60 s bound whatever the config says. */
export function cacheTtlMs(env: Env): number {
  const seconds = Number(env.API_KEY_CACHE_TTL_SECONDS);
  return Math.min(Number.isFinite(seconds) && seconds >= 0 ? seconds : 30, 60) * 1000;
}
