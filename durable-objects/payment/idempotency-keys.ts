import type { PaymentReply } from "./payment-record.js";

/** A request's idempotency record: `in_flight` while it runs, `pending` while its operation resolves. */
export interface IdempotencyRecord {
  request_hash: string;
  state: "in_flight" | "pending" | "done";
  reply: PaymentReply | null;
  operation_id: string | null;
}

/**
 * The payment's Idempotency-Keys (DESIGN invariant 3), in the object's SQLite storage: each
 * request's hash and state, the answer to replay, and the operation it started, if any.
 */
export class IdempotencyKeys {
  constructor(private readonly storage: DurableObjectStorage) {}

  /** The idempotency record for `key`, if any (kept 24 h: see `expire`). */
  get(key: string): IdempotencyRecord | null {
    const row = this.storage.sql
      .exec<{ request_hash: string; state: string; reply: string | null; operation_id: string | null }>(
        "SELECT request_hash, state, reply, operation_id FROM idempotency WHERE key = ?",
        key,
      )
      .toArray()[0];
    if (!row) return null;
    return {
      request_hash: row.request_hash,
      state: row.state as IdempotencyRecord["state"],
      reply: row.reply ? (JSON.parse(row.reply) as PaymentReply) : null,
      operation_id: row.operation_id,
    };
  }

  /** Ties a request's key to the operation it started (written with the operation's intent). */
  link(key: string, operationId: string): void {
    this.storage.sql.exec("UPDATE idempotency SET operation_id = ? WHERE key = ?", operationId, key);
  }

  /** The request was answered "pending": a retry answers from the operation until it is definite. */
  pend(key: string, reply: PaymentReply, operationId: string): void {
    this.storage.sql.exec(
      "UPDATE idempotency SET state = 'pending', reply = ?, operation_id = ? WHERE key = ?",
      JSON.stringify(reply),
      operationId,
      key,
    );
  }

  begin(key: string, requestHash: string): void {
    this.storage.sql.exec(
      "INSERT INTO idempotency (key, request_hash, state, created_at) VALUES (?, ?, 'in_flight', ?)",
      key,
      requestHash,
      Date.now(),
    );
  }

  finish(key: string, reply: PaymentReply): void {
    this.storage.sql.exec("UPDATE idempotency SET state = 'done', reply = ? WHERE key = ?", JSON.stringify(reply), key);
  }

  forget(key: string): void {
    this.storage.sql.exec("DELETE FROM idempotency WHERE key = ?", key);
  }

  expire(olderThanMs: number): void {
    this.storage.sql.exec("DELETE FROM idempotency WHERE created_at < ?", Date.now() - olderThanMs);
  }
}
