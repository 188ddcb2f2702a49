import type { PaymentEventMessage } from "../../common/payment-event-message.js";
import type { PaymentStatus } from "../../db/schema/payments.js";
import type { PaymentRecord, PaymentReply, RefundRecord } from "./payment-record.js";
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
`;

/**
 * The object's SQLite storage. Every transition writes the new state, one event and one outbox
 * message in a single storage transaction, so none exists without the others.
 */
export class PaymentStore {
  constructor(private readonly storage: DurableObjectStorage) {}

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
      const now = new Date().toISOString();
      const next: PaymentRecord = { ...current, ...changes, status: to, version: current.version + 1, updated_at: now };
      this.storage.sql.exec(
        "UPDATE payment_state SET doc = ?, version = ? WHERE id = ?",
        JSON.stringify(next),
        next.version,
        next.id,
      );
      for (const refund of refunds) {
        this.storage.sql.exec(
          "INSERT INTO refund_state (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
          refund.id,
          JSON.stringify(refund),
        );
      }
      this.log(next, `payment.${to}`, from, metadata, refunds);
      return next;
    });
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

  /** The idempotency record for `key`, if any (kept 24 h: see `expireIdempotency`). */
  idempotency(key: string): { request_hash: string; state: "in_flight" | "done"; reply: PaymentReply | null } | null {
    const row = this.storage.sql
      .exec<{ request_hash: string; state: string; reply: string | null }>(
        "SELECT request_hash, state, reply FROM idempotency WHERE key = ?",
        key,
      )
      .toArray()[0];
    if (!row) return null;
    return {
      request_hash: row.request_hash,
      state: row.state as "in_flight" | "done",
      reply: row.reply ? (JSON.parse(row.reply) as PaymentReply) : null,
    };
  }

  beginIdempotent(key: string, requestHash: string): void {
    this.storage.sql.exec(
      "INSERT INTO idempotency (key, request_hash, state, created_at) VALUES (?, ?, 'in_flight', ?)",
      key,
      requestHash,
      Date.now(),
    );
  }

  finishIdempotent(key: string, reply: PaymentReply): void {
    this.storage.sql.exec("UPDATE idempotency SET state = 'done', reply = ? WHERE key = ?", JSON.stringify(reply), key);
  }

  forgetIdempotent(key: string): void {
    this.storage.sql.exec("DELETE FROM idempotency WHERE key = ?", key);
  }

  expireIdempotency(olderThanMs: number): void {
    this.storage.sql.exec("DELETE FROM idempotency WHERE created_at < ?", Date.now() - olderThanMs);
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
    const { resolve_at: _at, resolve_attempts: _n, void_at: _void, ...payment } = record;
    const message: PaymentEventMessage = {
      payment,
      event: { sequence, event_type: type, old_status: from, new_status: record.status, metadata, created_at: now },
      refunds,
    };
    this.storage.sql.exec(
      "INSERT INTO outbox_messages (sequence, body) VALUES (?, ?)",
      sequence,
      JSON.stringify(message),
    );
  }
}
