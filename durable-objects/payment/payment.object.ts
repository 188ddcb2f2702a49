import { DurableObject } from "cloudflare:workers";
import type { PaymentStatus } from "../../db/schema/payments.js";

/** What the object reports about its payment: the state the orchestrator owns. */
export interface PaymentSnapshot {
  id: string;
  status: PaymentStatus;
  version: number;
}

/**
 * The payment orchestrator: one SQLite-backed Durable Object per payment, which serializes every
 * transition of that payment with no central lock. Its tables are created in the constructor,
 * before any request is delivered. The payment endpoints that drive it are the orchestrator
 * issue's work (README: "planned"); today it answers reads of its state.
 */
export class PaymentObject extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(`
        CREATE TABLE IF NOT EXISTS payment (
          id TEXT PRIMARY KEY,
          status TEXT NOT NULL,
          version INTEGER NOT NULL CHECK (version > 0)
        );
        CREATE TABLE IF NOT EXISTS payment_events (
          sequence INTEGER PRIMARY KEY,
          old_status TEXT,
          new_status TEXT NOT NULL,
          metadata TEXT NOT NULL DEFAULT '{}',
          created_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS outbox (
          sequence INTEGER PRIMARY KEY,
          body TEXT NOT NULL
        );
      `);
    });
  }

  /** The payment's current state, or null when this object holds no payment yet. */
  async snapshot(): Promise<PaymentSnapshot | null> {
    const row = this.sql
      .exec<{ id: string; status: string; version: number }>("SELECT id, status, version FROM payment LIMIT 1")
      .toArray()[0];
    return row ? { id: row.id, status: row.status as PaymentStatus, version: row.version } : null;
  }
}
