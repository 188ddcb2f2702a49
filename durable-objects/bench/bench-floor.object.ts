import { DurableObject } from "cloudflare:workers";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS record (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS outbox (sequence INTEGER PRIMARY KEY, body TEXT NOT NULL);
`;

/** What one call did: the object's id, and the vault's status when it was fetched. */
export interface FloorRecord {
  id: string;
  vaultStatus: number | null;
}

/**
 * The benchmarks' floor (issue 17): what any payment must cost on this platform, none of the
 * gateway's work. A new SQLite-backed object per call (its schema made under
 * `blockConcurrencyWhile`, as the payment object's is), one row and one outbox row written in one
 * transaction, the alarm armed; with `vault`, one fetch of the vault's no-op route (`/livez`) as
 * well. Reached only through the bench routes (BENCH_ROUTES "on", workers/bench/bench-baselines.ts).
 */
export class BenchFloorObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(SCHEMA);
    });
  }

  async record(doc: string, vault: boolean): Promise<FloorRecord> {
    const id = this.ctx.id.toString();
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      sql.exec("INSERT INTO record (id, doc) VALUES (?, ?)", id, doc);
      sql.exec("INSERT INTO outbox (body) VALUES (?)", JSON.stringify({ type: "bench.recorded", id }));
    });
    let vaultStatus: number | null = null;
    if (vault) {
      const response = await fetch(`${this.env.VAULT_URL}/livez`);
      await response.text();
      vaultStatus = response.status;
    }
    await this.ctx.storage.setAlarm(Date.now());
    return { id, vaultStatus };
  }

  /** Drains the outbox as the payment's alarm does, to nowhere: the queue is not part of the floor. */
  override async alarm(): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM outbox");
  }
}
