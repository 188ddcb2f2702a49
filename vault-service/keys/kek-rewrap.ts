import { and, asc, eq, gt, ne, sql } from "drizzle-orm";
import { vaultCards } from "../../db/schema/index.js";
import type { VaultDatabase } from "../db/vault-database.js";
import type { KeyProvider } from "./key-provider.js";

export interface RewrapResult {
  /** Data keys moved to the current KEK by this run. */
  rewrapped: number;
  /** Rows another writer changed between our read and our update (left to them, or the next pass). */
  skipped: number;
  currentVersion: string;
}

/**
 * Moves every data key still wrapped by an older KEK to the current one, with no downtime: rows
 * are read in keyset-ordered batches and each is updated in its own one-statement transaction
 * guarded by `kek_version = <old>`, so nothing is locked for longer than one row update and a
 * concurrent rewrap never clobbers a newer wrap. Only the 40-byte wrapped key changes; the card
 * ciphertext and its data key stay as they were (that is the point of envelope encryption).
 *
 * Passes repeat until one finds nothing, which also catches cards tokenized with the old KEK while
 * the rewrap ran. Afterwards the older versions are decrypt-only: nothing is wrapped with them.
 */
export async function rewrapDataKeys(
  db: VaultDatabase,
  keys: KeyProvider,
  options: { batchSize?: number; onBatch?: (done: number) => void } = {},
): Promise<RewrapResult> {
  const batchSize = options.batchSize ?? 500;
  let rewrapped = 0;
  let skipped = 0;
  for (;;) {
    // Re-read each pass: another rotation may have made a newer version current meanwhile.
    const current = keys.currentVersion();
    let foundInPass = 0;
    let after = "";
    for (;;) {
      const batch = await db
        .select({ token: vaultCards.token, wrappedDek: vaultCards.wrappedDek, kekVersion: vaultCards.kekVersion })
        .from(vaultCards)
        .where(and(ne(vaultCards.kekVersion, current), gt(vaultCards.token, after)))
        .orderBy(asc(vaultCards.token))
        .limit(batchSize);
      for (const row of batch) {
        const dataKey = await keys.unwrapDataKey({ kekVersion: row.kekVersion, wrapped: row.wrappedDek });
        try {
          const wrapped = await keys.wrapDataKey(dataKey);
          const updated = await db
            .update(vaultCards)
            .set({ wrappedDek: Buffer.from(wrapped.wrapped), kekVersion: wrapped.kekVersion, rotatedAt: sql`now()` })
            .where(and(eq(vaultCards.token, row.token), eq(vaultCards.kekVersion, row.kekVersion)))
            .returning({ token: vaultCards.token });
          if (updated.length === 1) rewrapped++;
          else skipped++;
        } finally {
          dataKey.fill(0);
        }
      }
      foundInPass += batch.length;
      if (batch.length > 0) options.onBatch?.(rewrapped);
      const last = batch.at(-1);
      if (!last || batch.length < batchSize) break;
      after = last.token;
    }
    if (foundInPass === 0) return { rewrapped, skipped, currentVersion: current };
  }
}
