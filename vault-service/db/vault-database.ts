import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { BUDGETS } from "../../common/timeout-budgets.js";
import * as schema from "../../db/schema/index.js";

/** Drizzle for most queries; `$client` (the pool) for the few hot statements kept as named SQL. */
export type VaultDatabase = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export interface VaultPool {
  db: VaultDatabase;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface PoolLimits {
  /** Connections at most. */
  max?: number;
  /**
   * The longest one statement may run, and the wait for a connection. Serving, that is the
   * journal's budget, so a hung Postgres cannot keep the vault from answering before the edge's
   * deadline; a batch job whose statements scan whole tables (KEK rewrap) asks for more.
   */
  statementMs?: number;
}

/** Grace for the client's own timer over Postgres's: the server's cancel is the usual way out. */
const CLIENT_GRACE_MS = 500;

/**
 * The vault's Postgres: one pool for the process (this is Node at the origin, not workerd, so a
 * shared pool is the right shape). Every statement is bounded twice: `statement_timeout` makes
 * Postgres cancel it, and `query_timeout` gives up on a server that does not answer at all
 * (paused, or a dropped network path), which also discards the connection. Tokenization's group
 * commit writes at most 200 cards in one statement, far inside the budget.
 */
export function openVaultDatabase(connectionString: string, limits: number | PoolLimits = {}): VaultPool {
  const { max = 10, statementMs = BUDGETS.vaultJournalMs } = typeof limits === "number" ? { max: limits } : limits;
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: statementMs,
    statement_timeout: statementMs,
    query_timeout: statementMs + CLIENT_GRACE_MS,
  });
  pool.on("error", () => {}); // an idle client's error surfaces on its next query instead
  return {
    db: drizzle(pool, { schema }),
    ping: async () => void (await pool.query("select 1")),
    close: () => pool.end(),
  };
}
