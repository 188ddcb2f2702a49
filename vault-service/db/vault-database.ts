import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "../../db/schema/index.js";

/** Drizzle for most queries; `$client` (the pool) for the few hot statements kept as named SQL. */
export type VaultDatabase = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export interface VaultPool {
  db: VaultDatabase;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The vault's Postgres: one pool for the process (this is Node at the origin, not workerd, so a
 * shared pool is the right shape). Tokenization writes two rows per card in one transaction.
 */
export function openVaultDatabase(connectionString: string, max = 10): VaultPool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on("error", () => {}); // an idle client's error surfaces on its next query instead
  return {
    db: drizzle(pool, { schema }),
    ping: async () => void (await pool.query("select 1")),
    close: () => pool.end(),
  };
}
