import type { ChainHeader, ChainLink } from "../../common/audit-chain/chain-object.js";

/**
 * How long the chain remembers the ids of the entries it holds, to drop a redelivered one: a
 * queue keeps a message at most 14 days (Cloudflare Queues' longest retention), and a batch
 * redelivered within that finds its entries here. A dead letter replayed later than that could
 * be chained twice; `audit:verify` still passes (the copy is chained as honestly as the first).
 */
export const REMEMBER_ENTRY_IDS_MS = 30 * 24 * 3600 * 1000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS chain_head (
    id INTEGER PRIMARY KEY CHECK (id = 1), sequence INTEGER NOT NULL, hash TEXT NOT NULL,
    card_access_cursor INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS chain_pending (
    id INTEGER PRIMARY KEY CHECK (id = 1), sequence INTEGER NOT NULL, hash TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS chain_entries (
    id TEXT PRIMARY KEY, sequence INTEGER NOT NULL, sealed_ms INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS chain_entries_sealed ON chain_entries (sealed_ms);
  CREATE TABLE IF NOT EXISTS chain_days (day TEXT PRIMARY KEY, sequence INTEGER NOT NULL);
`;

/**
 * The chain's SQLite storage: its head (the last object's sequence and hash), the object being
 * written if a write was cut short, the ids of recent entries, the first object of each day
 * (for `audit:verify --from`), and how far the vault's card access log has been forwarded.
 */
export class AuditChainStore {
  constructor(private readonly storage: DurableObjectStorage) {
    storage.sql.exec(SCHEMA);
  }

  head(): ChainLink & { cardAccessCursor: number } {
    const row = this.storage.sql
      .exec<{ sequence: number; hash: string; card_access_cursor: number }>(
        "SELECT sequence, hash, card_access_cursor FROM chain_head WHERE id = 1",
      )
      .toArray()[0];
    return row
      ? { sequence: row.sequence, hash: row.hash, cardAccessCursor: row.card_access_cursor }
      : { sequence: 0, hash: "0".repeat(64), cardAccessCursor: 0 };
  }

  pending(): ChainLink | null {
    return (
      this.storage.sql
        .exec<{ sequence: number; hash: string }>("SELECT sequence, hash FROM chain_pending WHERE id = 1")
        .toArray()[0] ?? null
    );
  }

  /** Before an object goes to R2: if the write is cut short, the next append looks for it there. */
  setPending(link: ChainLink): void {
    this.storage.sql.exec(
      "INSERT INTO chain_pending (id, sequence, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash",
      link.sequence,
      link.hash,
    );
  }

  clearPending(): void {
    this.storage.sql.exec("DELETE FROM chain_pending");
  }

  /** The ids among `ids` the chain already holds. */
  known(ids: readonly string[]): Set<string> {
    const known = new Set<string>();
    // SQLite's default limit is 100 bound parameters per statement in Durable Objects.
    for (let i = 0; i < ids.length; i += 90) {
      const slice = ids.slice(i, i + 90);
      const rows = this.storage.sql
        .exec<{ id: string }>(`SELECT id FROM chain_entries WHERE id IN (${slice.map(() => "?").join(",")})`, ...slice)
        .toArray();
      for (const row of rows) known.add(row.id);
    }
    return known;
  }

  /**
   * The object is in R2: the head moves to it, its entries are remembered, and the pending mark
   * is cleared, in one storage transaction.
   */
  advance(header: ChainHeader, entryIds: readonly string[], now: number): void {
    this.storage.transactionSync(() => {
      this.storage.sql.exec(
        "INSERT INTO chain_head (id, sequence, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash",
        header.sequence,
        header.hash,
      );
      for (const id of entryIds) {
        this.storage.sql.exec(
          "INSERT INTO chain_entries (id, sequence, sealed_ms) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
          id,
          header.sequence,
          now,
        );
      }
      this.storage.sql.exec(
        "INSERT INTO chain_days (day, sequence) VALUES (?, ?) ON CONFLICT (day) DO NOTHING",
        header.sealed_at.slice(0, 10),
        header.sequence,
      );
      this.storage.sql.exec("DELETE FROM chain_pending");
      this.storage.sql.exec("DELETE FROM chain_entries WHERE sealed_ms < ?", now - REMEMBER_ENTRY_IDS_MS);
    });
  }

  /** The vault's card access log is chained up to row `id` (never moves back). */
  advanceCardAccessCursor(id: number): void {
    const head = this.head();
    this.storage.sql.exec(
      "INSERT INTO chain_head (id, sequence, hash, card_access_cursor) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET card_access_cursor = max(card_access_cursor, excluded.card_access_cursor)",
      head.sequence,
      head.hash,
      id,
    );
  }

  /** The first object sealed on `day` or after (YYYY-MM-DD, UTC), or null. */
  firstSequenceFrom(day: string): number | null {
    const row = this.storage.sql
      .exec<{ sequence: number }>("SELECT min(sequence) AS sequence FROM chain_days WHERE day >= ?", day)
      .toArray()[0];
    return row?.sequence ?? null;
  }
}
