import { getTableName, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { PaymentEventMessage, ProjectedPayment, ProjectedRefund } from "../../common/payment-event-message.js";
import { balanceTransactions, paymentAttempts, paymentEvents, payments, refunds } from "../../db/schema/index.js";
import type { Database } from "../db/database.js";
import { insertRecordset, setFromExcluded } from "../db/recordset.js";
import { eventsWithDeliveries } from "../events/events.repository.js";
import { eventsForPaymentMessage } from "../events/payment-message-events.js";
import { balanceEntriesOf } from "../settlement/balance-entries.js";
import { balanceTransactionRows, merchantTerms } from "../settlement/balance-transactions.repository.js";
import type { DeliveryMessage } from "../webhooks/webhook-deliveries.repository.js";

/** The newest version of each object: one multi-row upsert may not touch a row twice. */
function newest<T extends { id: string; version: number }>(items: T[]): T[] {
  const byId = new Map<string, T>();
  for (const item of items) {
    const seen = byId.get(item.id);
    if (!seen || seen.version < item.version) byId.set(item.id, item);
  }
  return [...byId.values()];
}

function paymentRow(p: ProjectedPayment) {
  return {
    id: p.id,
    merchantId: p.merchant_id,
    idempotencyKey: p.idempotency_key,
    livemode: p.livemode,
    amount: p.amount,
    currency: p.currency,
    status: p.status as typeof payments.$inferInsert.status,
    captureMethod: p.capture_method,
    paymentMethodType: p.payment_method_type,
    cardToken: p.card_token,
    card: p.card ?? null,
    upi: p.upi ?? null,
    wallet: p.wallet ?? null,
    nextAction: p.next_action ?? null,
    processor: p.processor,
    processorReference: p.processor_reference ?? null,
    processorResponse: p.processor_response,
    declineCode: p.decline_code,
    captureStatus: p.capture_status ?? null,
    amountCapturable: p.amount_capturable,
    amountCaptured: p.amount_captured,
    amountRefunded: p.amount_refunded,
    customerId: p.customer_id,
    description: p.description,
    metadata: p.metadata,
    version: p.version,
    createdAt: new Date(p.created_at),
    updatedAt: new Date(p.updated_at),
  };
}

/** A refund is of its payment's mode: the message's payment says which. */
function refundRow(refund: ProjectedRefund, livemode: boolean) {
  return {
    id: refund.id,
    paymentId: refund.payment_id,
    merchantId: refund.merchant_id,
    livemode,
    idempotencyKey: refund.idempotency_key,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    reason: refund.reason,
    failureCode: refund.failure_code,
    version: refund.version,
    createdAt: new Date(refund.created_at),
    updatedAt: new Date(refund.updated_at),
  };
}

/** A transition, as the immutable `payment_events` row it is once. */
function paymentEventRow({ payment, event }: PaymentEventMessage) {
  return {
    paymentId: payment.id,
    sequence: event.sequence,
    eventType: event.event_type,
    oldStatus: event.old_status,
    newStatus: event.new_status,
    metadata: event.metadata,
    createdAt: new Date(event.created_at),
  };
}

/** A payment's attempts as rows, numbered in order, stamped with the payment version they come from. */
function attemptRows(p: ProjectedPayment) {
  return (p.attempts ?? []).map((attempt, index) => ({
    id: attempt.id,
    paymentId: p.id,
    merchantId: p.merchant_id,
    livemode: p.livemode,
    sequence: index + 1,
    status: attempt.status,
    processor: attempt.processor,
    processorReference: attempt.processor_reference,
    declineCode: attempt.decline_code,
    networkCode: attempt.network_code,
    authCode: attempt.auth_code,
    latencyMs: attempt.latency_ms,
    routing: attempt.routing,
    paymentVersion: p.version,
    createdAt: new Date(attempt.created_at),
    completedAt: attempt.completed_at ? new Date(attempt.completed_at) : null,
  }));
}

/**
 * Applies transitions to Postgres in one statement, idempotently and in any order:
 * - a payment row is inserted, or updated only when the message's `version` is newer
 *   (optimistic locking: a late or redelivered message never moves a payment backwards);
 * - each event is inserted under unique (payment_id, sequence), so a second copy is a no-op;
 * - refunds follow the payment's rule, by their own `version`; attempts by their payment's;
 * - the money a transition moved (a capture, a succeeded refund) becomes balance transactions,
 *   once each (unique on type and source);
 * - the merchant-facing events (`evt_`) are stored once and their webhook deliveries opened, in
 *   the same statement, so an event never exists without its deliveries.
 * A whole queue batch is two round trips: the merchants' terms, then every write as one
 * statement of data-modifying CTEs (one implicit transaction: all or nothing). It was eleven in a
 * transaction plus one after it, each a round trip through Hyperdrive to the origin database
 * (issue 17: the projection's cost per payment, and its lag wherever the database is far).
 * Returns the deliveries of this batch's events not yet tried, opened now or by an earlier copy,
 * for the `webhook-delivery` queue: the statement has committed when they are returned.
 */
export async function applyPaymentEvents(db: Database, messages: PaymentEventMessage[]): Promise<DeliveryMessage[]> {
  if (messages.length === 0) return [];
  // The money each transition moved, as balance transactions: once each, whatever the redelivery.
  const terms = await merchantTerms(
    db,
    messages.map((message) => message.payment.merchant_id),
  );
  const balanceRows = await balanceTransactionRows(
    messages.flatMap((message) => {
      const merchant = terms.get(message.payment.merchant_id);
      return merchant ? balanceEntriesOf(message, merchant) : [];
    }),
  );
  const snapshots = newest(messages.map((message) => message.payment));
  const refundRows = newest(
    messages.flatMap(({ payment, refunds }) => refunds.map((refund) => refundRow(refund, payment.livemode))),
  );
  const writes = [
    upsert(payments, snapshots.map(paymentRow), newerWins(payments, PAYMENT_UPDATES, payments.version)),
    upsert(
      paymentAttempts,
      snapshots.flatMap(attemptRows),
      newerWins(paymentAttempts, ATTEMPT_UPDATES, paymentAttempts.paymentVersion),
    ),
    upsert(paymentEvents, messages.map(paymentEventRow), firstWins(sql`payment_id, sequence`)),
    upsert(refunds, refundRows, newerWins(refunds, ["status", "failureCode", "version", "updatedAt"], refunds.version)),
    upsert(balanceTransactions, balanceRows, firstWins(sql`type, source_id`)),
  ].filter((write) => write !== null);
  const events = eventsWithDeliveries(messages.flatMap(eventsForPaymentMessage));
  const ctes = [...writes, ...events.ctes].map((cte) => sql`${sql.identifier(cte.name)} as (${cte.statement})`);
  const result = await db.execute<{ id: string }>(sql`with ${sql.join(ctes, sql`, `)} ${events.select}`);
  return [...new Set(result.rows.map((row) => row.id))].map((id) => ({ delivery_id: id, attempt: 0 }));
}

/**
 * Inserted, or the listed columns updated only when the message's `version` is newer than the
 * row's: a late or redelivered message never moves a row backwards (optimistic locking).
 */
function newerWins<T extends PgTable>(
  table: T,
  updates: readonly (keyof T["$inferInsert"] & string)[],
  version: PgColumn,
): (insert: SQL) => SQL {
  return (insert) => sql`${insert}
    on conflict (id) do update set ${setFromExcluded(table, updates)}
    where ${version} < excluded.${sql.identifier(version.name)}`;
}

/** Inserted once under a unique key: a second copy is nothing. */
function firstWins(uniqueKey: SQL): (insert: SQL) => SQL {
  return (insert) => sql`${insert} on conflict (${uniqueKey}) do nothing`;
}

/** One table's rows as a CTE of the batch's statement, or none when there are no rows. */
function upsert<T extends PgTable>(
  table: T,
  rows: T["$inferInsert"][],
  conflict: (insert: SQL) => SQL,
): { name: string; statement: SQL } | null {
  if (rows.length === 0) return null;
  return { name: `write_${getTableName(table)}`, statement: conflict(insertRecordset(table, rows)) };
}

const PAYMENT_UPDATES = [
  "idempotencyKey",
  "livemode",
  "amount",
  "status",
  "captureMethod",
  "paymentMethodType",
  "cardToken",
  "card",
  "upi",
  "wallet",
  "nextAction",
  "processor",
  "processorReference",
  "processorResponse",
  "declineCode",
  "captureStatus",
  "amountCapturable",
  "amountCaptured",
  "amountRefunded",
  "customerId",
  "description",
  "metadata",
  "version",
  "updatedAt",
] as const;

const ATTEMPT_UPDATES = [
  "status",
  "processor",
  "processorReference",
  "declineCode",
  "networkCode",
  "authCode",
  "latencyMs",
  "routing",
  "paymentVersion",
  "completedAt",
] as const;
