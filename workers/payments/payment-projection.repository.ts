import { sql } from "drizzle-orm";
import type { PaymentEventMessage, ProjectedRefund } from "../../common/payment-event-message.js";
import { paymentEvents, payments, refunds } from "../../db/schema/index.js";
import type { Database } from "../db/database.js";
import { recordEvents } from "../events/events.repository.js";
import { eventsForPaymentMessage } from "../events/payment-message-events.js";

/**
 * Applies one transition to Postgres in one transaction, idempotently:
 * - the payment row is inserted, or updated only when the message's `version` is newer
 *   (optimistic locking: a late or redelivered message never moves a payment backwards);
 * - the event is inserted under unique (payment_id, sequence), so a second copy is a no-op;
 * - refunds follow the payment's rule, by their own `version`;
 * - the merchant-facing events (`evt_`) are stored once and their webhook deliveries opened, in
 *   the same transaction, so an event never exists without its deliveries.
 * Returns the ids of the transition's merchant-facing events.
 */
export async function applyPaymentEvent(db: Database, message: PaymentEventMessage): Promise<string[]> {
  const p = message.payment;
  return db.transaction(async (tx) => {
    const row = {
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
      processor: p.processor,
      processorResponse: p.processor_response,
      declineCode: p.decline_code,
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
    const { id: _id, merchantId: _merchant, currency: _currency, createdAt: _created, ...changes } = row;
    await tx
      .insert(payments)
      .values(row)
      .onConflictDoUpdate({
        target: payments.id,
        set: changes,
        setWhere: sql`${payments.version} < ${p.version}`,
      });
    await tx
      .insert(paymentEvents)
      .values({
        paymentId: p.id,
        sequence: message.event.sequence,
        eventType: message.event.event_type,
        oldStatus: message.event.old_status,
        newStatus: message.event.new_status,
        metadata: message.event.metadata,
        createdAt: new Date(message.event.created_at),
      })
      .onConflictDoNothing({ target: [paymentEvents.paymentId, paymentEvents.sequence] });
    for (const refund of message.refunds) await upsertRefund(tx, refund);
    return recordEvents(tx, eventsForPaymentMessage(message));
  });
}

async function upsertRefund(tx: Pick<Database, "insert">, refund: ProjectedRefund): Promise<void> {
  const row = {
    id: refund.id,
    paymentId: refund.payment_id,
    merchantId: refund.merchant_id,
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
  await tx
    .insert(refunds)
    .values(row)
    .onConflictDoUpdate({
      target: refunds.id,
      set: { status: row.status, failureCode: row.failureCode, version: row.version, updatedAt: row.updatedAt },
      setWhere: sql`${refunds.version} < ${refund.version}`,
    });
}
