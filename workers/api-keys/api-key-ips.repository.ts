import { sql } from "drizzle-orm";
import { apiKeyIps } from "../../db/schema/index.js";
import type { Database } from "../db/database.js";

/** How long an address may go unseen with a key before its next use is new again. */
export const RECENT_WINDOW_DAYS = 90;

/**
 * Notes that `keyId` was used from `ip`, and says whether that is news: the pair was never seen,
 * or not within the recent window. One statement, so of two isolates racing on the same pair
 * only the one whose insert (or reset) won hears `true`: `first_seen` is this transaction's
 * `now()` only on a row it created or restarted.
 */
export async function markKeySeenFrom(db: Pick<Database, "insert">, keyId: string, ip: string): Promise<boolean> {
  const [row] = await db
    .insert(apiKeyIps)
    .values({ keyId, ip })
    .onConflictDoUpdate({
      target: [apiKeyIps.keyId, apiKeyIps.ip],
      set: {
        lastSeen: sql`now()`,
        firstSeen: sql`case when ${apiKeyIps.lastSeen} < now() - ${RECENT_WINDOW_DAYS}::int * interval '1 day' then now() else ${apiKeyIps.firstSeen} end`,
      },
    })
    .returning({ fresh: sql<boolean>`${apiKeyIps.firstSeen} = now()` });
  return row?.fresh === true;
}
