import { ORCHESTRATOR, type PaymentEventMessage, type TransitionActor } from "../../common/payment-event-message.js";
import type { PaymentStatus } from "../../db/schema/payments.js";
import type { OperationIntent } from "./operations/operation-intent.js";
import type { PaymentRecord, RefundRecord } from "./payment-record.js";
import { canTransition } from "./payment-state-machine.js";

/** Thrown inside a storage transaction to roll it back: a transition the state machine forbids. */
export class IllegalTransition extends Error {
  constructor(
    readonly from: PaymentStatus,
    readonly to: PaymentStatus,
  ) {
    super(`payment cannot go from ${from} to ${to}`);
  }
}

export const SCHEMA = `
  CREATE TABLE IF NOT EXISTS payment_state (id TEXT PRIMARY KEY, doc TEXT NOT NULL, version INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS refund_state (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS transition_log (
    sequence INTEGER PRIMARY KEY, event_type TEXT NOT NULL, old_status TEXT, new_status TEXT NOT NULL,
    metadata TEXT NOT NULL, created_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS outbox_messages (sequence INTEGER PRIMARY KEY, body TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, state TEXT NOT NULL, reply TEXT, created_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS operations (
    id TEXT PRIMARY KEY, state TEXT NOT NULL, resolve_at INTEGER, doc TEXT NOT NULL);
`;

/** Objects created before a column existed get it on their next start. */
export function upgradeSchema(storage: DurableObjectStorage): void {
  storage.sql.exec(SCHEMA);
  const columns = storage.sql.exec<{ name: string }>("PRAGMA table_info(idempotency)").toArray();
  if (!columns.some((column) => column.name === "operation_id")) {
    storage.sql.exec("ALTER TABLE idempotency ADD COLUMN operation_id TEXT");
  }
}

/**
 * The object's SQLite storage. Every transition writes the new state, one event and one outbox
 * message in a single storage transaction, so none exists without the others.
 */
export class PaymentStore {
  /** Whose mutation is running: the object runs one at a time, so one actor at a time. */
  private actor: TransitionActor = ORCHESTRATOR;

  constructor(private readonly storage: DurableObjectStorage) {}

  /** Runs one mutation on `actor`'s behalf: its transitions' events name it. */
  async actingFor<T>(actor: TransitionActor, run: () => Promise<T>): Promise<T> {
    this.actor = actor;
    try {
      return await run();
    } finally {
      this.actor = ORCHESTRATOR;
    }
  }

  payment(): PaymentRecord | null {
    const row = this.storage.sql.exec<{ doc: string }>("SELECT doc FROM payment_state LIMIT 1").toArray()[0];
    return row ? (JSON.parse(row.doc) as PaymentRecord) : null;
  }

  refunds(): RefundRecord[] {
    return this.storage.sql
      .exec<{ doc: string }>("SELECT doc FROM refund_state ORDER BY rowid")
      .toArray()
      .map((row) => JSON.parse(row.doc) as RefundRecord);
  }

  /** Saves fields that are not a transition (processor reference, resolution schedule). */
  patch(changes: Partial<PaymentRecord>): PaymentRecord {
    const current = this.payment();
    if (!current) throw new Error("no payment to patch");
    const next = { ...current, ...changes };
    this.storage.sql.exec("UPDATE payment_state SET doc = ? WHERE id = ?", JSON.stringify(next), next.id);
    return next;
  }

  /** Creates the payment in `created`: the first event (null -> created). */
  create(record: PaymentRecord): void {
    this.storage.transactionSync(() => {
      this.storage.sql.exec(
        "INSERT INTO payment_state (id, doc, version) VALUES (?, ?, ?)",
        record.id,
        JSON.stringify(record),
        record.version,
      );
      this.log(record, "payment.created", null, {}, []);
    });
  }

  /** One transition: state checked against the table, version + 1, event and outbox message. */
  transition(
    to: PaymentStatus,
    changes: Partial<PaymentRecord>,
    metadata: Record<string, unknown> = {},
    refunds: RefundRecord[] = [],
  ): PaymentRecord {
    return this.storage.transactionSync(() => {
      const current = this.payment();
      if (!current) throw new Error("no payment to move");
      const from = current.status as PaymentStatus;
      if (!canTransition(from, to)) throw new IllegalTransition(from, to);
      return this.logChange(current, { ...changes, status: to }, `payment.${to}`, metadata, refunds);
    });
  }

  /**
   * A logged change that is not a status transition (a refund or capture pending, or failed):
   * version + 1, one event and one outbox message, the status unchanged.
   */
  record(
    eventType: string,
    changes: Partial<PaymentRecord>,
    metadata: Record<string, unknown> = {},
    refunds: RefundRecord[] = [],
  ): PaymentRecord {
    return this.storage.transactionSync(() => {
      const current = this.payment();
      if (!current) throw new Error("no payment to change");
      return this.logChange(current, { ...changes, status: current.status }, eventType, metadata, refunds);
    });
  }

  /** The write every logged change shares: the new state at version + 1, its refunds, its event and message. */
  private logChange(
    current: PaymentRecord,
    changes: Partial<PaymentRecord>,
    eventType: string,
    metadata: Record<string, unknown>,
    refunds: RefundRecord[],
  ): PaymentRecord {
    const next: PaymentRecord = {
      ...current,
      ...changes,
      version: current.version + 1,
      updated_at: new Date().toISOString(),
    };
    this.storage.sql.exec(
      "UPDATE payment_state SET doc = ?, version = ? WHERE id = ?",
      JSON.stringify(next),
      next.version,
      next.id,
    );
    this.saveRefunds(refunds);
    this.log(next, eventType, current.status, metadata, refunds);
    return next;
  }

  operation(id: string): OperationIntent | null {
    const row = this.storage.sql.exec<{ doc: string }>("SELECT doc FROM operations WHERE id = ?", id).toArray()[0];
    return row ? (JSON.parse(row.doc) as OperationIntent) : null;
  }

  /** The operation still being resolved, if any (at most one at a time per payment). */
  pendingOperation(): OperationIntent | null {
    const row = this.storage.sql
      .exec<{ doc: string }>("SELECT doc FROM operations WHERE state = 'pending' ORDER BY rowid LIMIT 1")
      .toArray()[0];
    return row ? (JSON.parse(row.doc) as OperationIntent) : null;
  }

  /** Every operation, oldest first (a payment has a handful: its attempts and follow-ups). */
  operations(): OperationIntent[] {
    return this.storage.sql
      .exec<{ doc: string }>("SELECT doc FROM operations ORDER BY rowid")
      .toArray()
      .map((row) => JSON.parse(row.doc) as OperationIntent);
  }

  saveOperation(intent: OperationIntent): void {
    this.storage.sql.exec(
      "INSERT INTO operations (id, state, resolve_at, doc) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, resolve_at = excluded.resolve_at, doc = excluded.doc",
      intent.id,
      intent.state,
      intent.resolve_at,
      JSON.stringify(intent),
    );
  }

  /** Saves refund records without logging (an operation's intent, before its call). */
  saveRefunds(refunds: RefundRecord[]): void {
    for (const refund of refunds) {
      this.storage.sql.exec(
        "INSERT INTO refund_state (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
        refund.id,
        JSON.stringify(refund),
      );
    }
  }

  /** Runs `write` as one storage transaction. */
  atomically<T>(write: () => T): T {
    return this.storage.transactionSync(write);
  }

  events() {
    return this.storage.sql
      .exec<{
        sequence: number;
        event_type: string;
        old_status: string | null;
        new_status: string;
        created_at: string;
      }>("SELECT sequence, event_type, old_status, new_status, created_at FROM transition_log ORDER BY sequence")
      .toArray();
  }

  outbox(limit: number): { sequence: number; body: PaymentEventMessage }[] {
    return this.storage.sql
      .exec<{ sequence: number; body: string }>(
        "SELECT sequence, body FROM outbox_messages ORDER BY sequence LIMIT ?",
        limit,
      )
      .toArray()
      .map((row) => ({ sequence: row.sequence, body: JSON.parse(row.body) as PaymentEventMessage }));
  }

  deleteOutbox(upTo: number): void {
    this.storage.sql.exec("DELETE FROM outbox_messages WHERE sequence <= ?", upTo);
  }

  private log(
    record: PaymentRecord,
    type: string,
    from: string | null,
    metadata: Record<string, unknown>,
    refunds: RefundRecord[],
  ) {
    const now = new Date().toISOString();
    const sequence =
      (this.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM transition_log").one().n ?? 0) + 1;
    this.storage.sql.exec(
      "INSERT INTO transition_log (sequence, event_type, old_status, new_status, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      sequence,
      type,
      from,
      record.status,
      JSON.stringify(metadata),
      now,
    );
    const {
      void_at: _void,
      void_failures: _f,
      request_hash: _hash,
      operations: _n,
      routing: _routing,
      wallet_pages: _pages,
      wallet_brand: _brand,
      ...payment
    } = record;
    const message: PaymentEventMessage = {
      payment,
      event: {
        sequence,
        event_type: type,
        old_status: from,
        new_status: record.status,
        metadata,
        created_at: now,
        actor: this.actor,
      },
      refunds,
    };
    this.storage.sql.exec(
      "INSERT INTO outbox_messages (sequence, body) VALUES (?, ?)",
      sequence,
      JSON.stringify(message),
    );
  }
}
