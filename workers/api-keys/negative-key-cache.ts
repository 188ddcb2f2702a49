/** Why a key was refused, as the client was told. */
export interface KeyRefusal {
  code: "api_key_invalid" | "api_key_expired";
  message?: string;
}

interface Entry {
  refusal: KeyRefusal;
  cachedAt: number;
}

/** Long enough to absorb a flood, short enough that a merchant re-enabled by ops works soon. */
export const NEGATIVE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;
const entries = new Map<string, Entry>();

/**
 * Isolate-local cache of key hashes that failed lookup (unknown, revoked, or their merchant
 * disabled), so a key repeated by a client costs the hash but no Postgres query for 30 s. Keyed
 * by hash like `apiKeyCache`; bounded, the oldest entry going first. A key is never issued with
 * a hash seen before (190 random bits), and a revoked key never comes back, so the only state
 * this can hold stale is a merchant's re-enabling, for at most the TTL.
 */
export const negativeKeyCache = {
  get(hash: string, now: number): KeyRefusal | undefined {
    const entry = entries.get(hash);
    if (!entry) return undefined;
    if (now - entry.cachedAt >= NEGATIVE_TTL_MS) {
      entries.delete(hash);
      return undefined;
    }
    return entry.refusal;
  },

  set(hash: string, refusal: KeyRefusal, now: number): void {
    if (entries.size >= MAX_ENTRIES) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.set(hash, { refusal, cachedAt: now });
  },

  clear(): void {
    entries.clear();
  },
};
