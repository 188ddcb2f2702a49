import type { Owner } from "../../common/owner.js";
import type { Database } from "../db/database.js";
import { findRouting, type StoredRouting } from "./routing.repository.js";

/**
 * How long this isolate trusts a merchant's routing configuration. A change reaches other
 * isolates within this time; the isolate that saved it forgets its copy at once (`forgetRouting`).
 */
export const ROUTING_CACHE_MS = 30_000;
/** Past this many merchants and modes, the oldest entry goes: an isolate's memory is small. */
const MAX_ENTRIES = 5_000;

const entries = new Map<string, { expires: number; stored: Promise<StoredRouting> }>();

const keyOf = (owner: Owner) => `${owner.merchantId}:${owner.livemode ? "live" : "test"}`;

/**
 * The merchant's routing configuration in one mode, from this isolate's cache (one read of
 * Postgres per merchant, mode and 30 s on the payment path; `db` is opened only for it).
 * Concurrent payments share one read; a failed read is not kept, so the next payment tries again.
 */
export function cachedRouting(db: () => Promise<Database>, owner: Owner, now = Date.now()): Promise<StoredRouting> {
  const key = keyOf(owner);
  const hit = entries.get(key);
  if (hit && hit.expires > now) return hit.stored;
  entries.delete(key);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value ?? "");
  const stored = db().then((connected) => findRouting(connected, owner));
  entries.set(key, { expires: now + ROUTING_CACHE_MS, stored });
  stored.catch(() => {
    if (entries.get(key)?.stored === stored) entries.delete(key);
  });
  return stored;
}

/** Drops the cached configuration of `owner` (after a change through this isolate). */
export function forgetRouting(owner: Owner): void {
  entries.delete(keyOf(owner));
}
