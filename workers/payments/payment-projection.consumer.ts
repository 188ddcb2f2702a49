import type { PaymentEventMessage } from "../../common/payment-event-message.js";
import { queueAudit } from "../audit/audit-log.js";
import { paymentTransitionEntry } from "../audit/payment-transition-audit.js";
import { connect } from "../db/database.js";
import { describeError, log } from "../logging/logger.js";
import { enqueueDeliveries } from "../webhooks/delivery-queue.js";
import type { DeliveryMessage } from "../webhooks/webhook-deliveries.repository.js";
import { applyPaymentEvents } from "./payment-projection.repository.js";

/** Retry delays by attempt: Postgres may be down for a while; after `max_retries` the DLQ keeps it. */
const RETRY_DELAYS_SECONDS = [5, 15, 30, 60, 120, 300, 600];

function retryDelay(attempts: number): number {
  return RETRY_DELAYS_SECONDS[Math.min(attempts - 1, RETRY_DELAYS_SECONDS.length - 1)] ?? 600;
}

/**
 * The `payment-events` consumer: projects transitions into Postgres through Hyperdrive, and hands
 * the webhook deliveries it opened to the `webhook-delivery` queue. The whole batch goes in one
 * statement (`applyPaymentEvents`); if that fails, each message is applied and acknowledged on its own, so one that
 * fails (database down, a bad row) is retried with backoff while the others are not redone.
 * Nothing is acknowledged before its transaction committed, so nothing is lost.
 */
export async function consumePaymentEvents(batch: MessageBatch<PaymentEventMessage>, env: Env): Promise<void> {
  let connection: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    connection = await connect(env);
  } catch (error) {
    log("warn", "payment projection: database unreachable, batch retried", describeError(error));
    for (const message of batch.messages) message.retry({ delaySeconds: retryDelay(message.attempts) });
    return;
  }
  const db = connection.db;
  // The deliveries the batch's statement opened (or an earlier copy did, still untried), once it committed.
  const handOver = (deliveries: DeliveryMessage[]) => enqueueDeliveries(env, deliveries);
  // Each transition is also an audit entry (issue 16 item 5), queued once it is projected.
  const audit = async (messages: PaymentEventMessage[]) =>
    queueAudit(env, await Promise.all(messages.map(paymentTransitionEntry)));
  try {
    try {
      await handOver(
        await applyPaymentEvents(
          db,
          batch.messages.map((message) => message.body),
        ),
      );
      await audit(batch.messages.map((message) => message.body));
      batch.ackAll();
      return;
    } catch {
      // One by one below: each message gets its own outcome.
    }
    for (const message of batch.messages) {
      try {
        await handOver(await applyPaymentEvents(db, [message.body]));
        await audit([message.body]);
        message.ack();
      } catch (error) {
        log("error", "payment projection failed", {
          payment_id: message.body.payment.id,
          sequence: message.body.event.sequence,
          attempts: message.attempts,
          ...describeError(error),
        });
        message.retry({ delaySeconds: retryDelay(message.attempts) });
      }
    }
  } finally {
    await connection.close().catch(() => {});
  }
}
