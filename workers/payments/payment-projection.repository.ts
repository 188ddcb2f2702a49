import { sql } from "drizzle-orm";
import type { PaymentEventMessage, ProjectedPayment, ProjectedRefund } from "../../common/payment-event-message.js";
import { paymentAttempts, paymentEvents, payments, refunds } from "../../db/schema/index.js";
import type { Database } from "../db/database.js";
import { recordEvents } from "../events/events.repository.js";
import { eventsForPaymentMessage } from "../events/payment-message-events.js";
import { balanceEntriesOf } from "../settlement/balance-entries.js";
import { merchantTerms, recordBalanceEntries } from "../settlement/balance-transactions.repository.js";

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

/** `excluded.<column>` for each column an upsert may change, keyed as drizzle's `set` wants. */
function fromExcluded<T extends object>(table: T, keys: (keyof T & string)[]) {
  return Object.fromEntries(
    keys.map((key) => [key, sql.raw(`excluded.${(table[key] as unknown as { name: string }).name}`)]),
  );
}

/**
 * Applies transitions to Postgres in one transaction, idempotently and in any order:
 * - a payment row is inserted, or updated only when the message's `version` is newer
 *   (optimistic locking: a late or redelivered message never moves a payment backwards);
 * - each event is inserted under unique (payment_id, sequence), so a second copy is a no-op;
 * - refunds follow the payment's rule, by their own `version`; attempts by their payment's;
 * - the money a transition moved (a capture, a succeeded refund) becomes balance transactions,
 *   once each (unique on type and source);
 * - the merchant-facing events (`evt_`) are stored once and their webhook deliveries opened, in
 *   the same transaction, so an event never exists without its deliveries.
 * A whole queue batch goes in one transaction of a few multi-row statements (one per message
 * was the projection's throughput limit). Returns the ids of the merchant-facing events.
 */
export async function applyPaymentEvents(db: Database, messages: PaymentEventMessage[]): Promise<string[]> {
  if (messages.length === 0) return [];
  return db.transaction(async (tx) => {
    const snapshots = newest(messages.map((message) => message.payment));
    const paymentRows = snapshots.map(paymentRow);
    await tx
      .insert(payments)
      .values(paymentRows)
      .onConflictDoUpdate({
        target: payments.id,
        set: fromExcluded(payments, [
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
        ]),
        setWhere: sql`${payments.version} < excluded.version`,
      });
    // The newest message per payment carries all its attempts as they now are.
    const attemptRowList = snapshots.flatMap(attemptRows);
    if (attemptRowList.length > 0) {
      await tx
        .insert(paymentAttempts)
        .values(attemptRowList)
        .onConflictDoUpdate({
          target: paymentAttempts.id,
          set: fromExcluded(paymentAttempts, [
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
          ]),
          setWhere: sql`${paymentAttempts.paymentVersion} < excluded.payment_version`,
        });
    }
    await tx
      .insert(paymentEvents)
      .values(
        messages.map(({ payment, event }) => ({
          paymentId: payment.id,
          sequence: event.sequence,
          eventType: event.event_type,
          oldStatus: event.old_status,
          newStatus: event.new_status,
          metadata: event.metadata,
          createdAt: new Date(event.created_at),
        })),
      )
      .onConflictDoNothing({ target: [paymentEvents.paymentId, paymentEvents.sequence] });
    const refundRows = newest(
      messages.flatMap(({ payment, refunds }) => refunds.map((refund) => refundRow(refund, payment.livemode))),
    );
    if (refundRows.length > 0) {
      await tx
        .insert(refunds)
        .values(refundRows)
        .onConflictDoUpdate({
          target: refunds.id,
          set: fromExcluded(refunds, ["status", "failureCode", "version", "updatedAt"]),
          setWhere: sql`${refunds.version} < excluded.version`,
        });
    }
    // The money each transition moved, as balance transactions: once each, whatever the redelivery.
    const terms = await merchantTerms(
      tx,
      messages.map((message) => message.payment.merchant_id),
    );
    await recordBalanceEntries(
      tx,
      messages.flatMap((message) => {
        const merchant = terms.get(message.payment.merchant_id);
        return merchant ? balanceEntriesOf(message, merchant) : [];
      }),
    );
    return recordEvents(tx, messages.flatMap(eventsForPaymentMessage));
  });
}
