import type { Cost } from "./cost.js";
import { PLATFORM } from "./limits.js";
import { PAYLOAD } from "./payloads.js";

/** Bytes a payment leaves behind in each store, and how long each keeps them. */
export interface Bytes {
  /** The payment's Durable Object: kept for good (nothing deletes a payment object). */
  object: number;
  /** Postgres, edge tables: kept for good (request_logs for 30 days). */
  postgres: number;
  /** Postgres, the vault's tables: the card while a payment may still need it, the journal for good. */
  vault: number;
  /** The audit chain's objects in R2: seven years under the bucket lock. */
  auditR2: number;
  /** The settlement CSV and JSON lines in R2. */
  settlementR2: number;
}

/**
 * A Postgres row: its payload, the tuple header and line pointer (28 B), and about 40 B per index
 * entry (key, tuple id, overhead). An estimate: the payloads are measured, the overheads are
 * Postgres's documented page layout rounded up.
 */
const pgRow = (payload: number, indexes: number) => payload + 28 + 40 * indexes;

/** Payloads not built in `payloads.ts`: the columns' sizes as the schema declares them. */
const ROW = {
  /** payment_attempts: ids, codes, routing JSON. */
  attempt: pgRow(400, 2),
  /** webhook_deliveries: ids, status, counters, times. */
  delivery: pgRow(120, 3),
  /** webhook_delivery_attempts: status code, latency, response excerpt. */
  deliveryAttempt: pgRow(150, 2),
  balance: pgRow(200, 5),
  refund: pgRow(300, 2),
  requestLog: pgRow(200, 2),
  /** vault_cards (sealed card, wrapped key, fingerprint) and card_tokens. */
  vaultCard: pgRow(300, 3) + pgRow(150, 2),
  cardAccess: pgRow(200, 2),
  /** network_operations: the journal row with its outcome JSON. */
  journal: pgRow(700, 4),
  /** The idempotency row beside its stored answer: key, hash, state, time. */
  idempotencyKey: 120,
  refundDoc: 300,
} as const;

export function bytesOf(cost: Cost, deliveries: number, deliveryAttempts: number): Bytes {
  return {
    object:
      cost.newPayments * (PLATFORM.emptyObjectBytes.value + PAYLOAD.paymentDoc) +
      cost.transitions * PAYLOAD.transitionRow +
      cost.operations * PAYLOAD.intentDoc +
      cost.idempotencyKeys * (PAYLOAD.storedReply + ROW.idempotencyKey) +
      cost.refundUpserts * ROW.refundDoc,
    postgres:
      cost.newPayments * (pgRow(PAYLOAD.paymentDoc, 4) + ROW.attempt) +
      cost.transitions * pgRow(PAYLOAD.transitionRow, 1) +
      cost.merchantEvents * pgRow(PAYLOAD.eventData, 3) +
      deliveries * ROW.delivery +
      deliveryAttempts * ROW.deliveryAttempt +
      cost.balanceEntries * ROW.balance +
      cost.refundUpserts * ROW.refund +
      cost.apiRequests * ROW.requestLog,
    vault:
      cost.vaultTokenizations * ROW.vaultCard + cost.cardAccesses * ROW.cardAccess + cost.vaultOperations * ROW.journal,
    auditR2: PAYLOAD.auditEntry * (cost.transitions + cost.apiRequests + cost.cardAccesses),
    settlementR2: (PAYLOAD.settlementCsvLine + PAYLOAD.settlementJsonItem) * cost.balanceEntries,
  };
}
