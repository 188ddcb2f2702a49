import type { PaymentEventMessage } from "../../common/payment-event-message.js";
import { consumeAuditBatch } from "../audit/audit.consumer.js";
import type { AuditEntry } from "../audit/audit-entry.js";
import type { AuditPack } from "../audit/audit-pack.js";
import { consumerSwitchedToFail, failingRetryDelay } from "../chaos/consumer-switch.js";
import { parkDeadLetters } from "../dead-letters/dead-letters.consumer.js";
import { consumePaymentEvents } from "../payments/payment-projection.consumer.js";
import type { RequestSummary } from "../request-logs/request-summary.js";
import { type BatchMessage, consumeSettlementBatch } from "../settlement/settlement.consumer.js";
import type { DeliveryMessage } from "../webhooks/webhook-deliveries.repository.js";
import { consumeWebhookDeliveries } from "../webhooks/webhook-delivery.consumer.js";

/** The four roles of the seed's Kafka topics; deployed names may carry an environment suffix. */
export type QueueRole = "payment-events" | "webhook-delivery" | "settlement-batch" | "audit-log";

/** The role of a queue and whether it is that role's dead-letter queue (`<role>-dlq`). */
export function queueRole(queueName: string): QueueRole {
  return parseQueueName(queueName).role;
}

export function parseQueueName(queueName: string): { role: QueueRole; deadLetter: boolean } {
  const withoutEnv = queueName.replace(/-(dev|staging|production)$/, "");
  const deadLetter = withoutEnv.endsWith("-dlq");
  return { role: roleOf(deadLetter ? withoutEnv.slice(0, -4) : withoutEnv, queueName), deadLetter };
}

function roleOf(base: string, queueName: string): QueueRole {
  switch (base) {
    case "payment-events":
    case "webhook-delivery":
    case "settlement-batch":
    case "audit-log":
      return base;
    default:
      throw new Error(`no consumer for queue ${queueName}`);
  }
}

/** Dispatches a batch to its consumer (a dead-letter queue's to the parking lot). */
export async function routeQueueBatch(batch: MessageBatch, env: Env): Promise<void> {
  const { role, deadLetter } = parseQueueName(batch.queue);
  if (deadLetter) return parkDeadLetters(batch, env, role);
  // A fault campaign's switch (CHAOS_ROUTES=on only): the consumer fails, as if its database were down.
  if (await consumerSwitchedToFail(env, role)) {
    for (const message of batch.messages) message.retry({ delaySeconds: failingRetryDelay(message.attempts) });
    return;
  }
  switch (role) {
    case "audit-log":
      return consumeAuditBatch(batch as MessageBatch<AuditEntry | AuditPack | RequestSummary>, env);
    case "payment-events":
      return consumePaymentEvents(batch as MessageBatch<PaymentEventMessage>, env);
    case "webhook-delivery":
      return consumeWebhookDeliveries(batch as MessageBatch<DeliveryMessage>, env);
    case "settlement-batch":
      return consumeSettlementBatch(batch as MessageBatch<BatchMessage>, env);
    default: {
      const unreachable: never = role;
      throw new Error(`unhandled queue role ${String(unreachable)}`);
    }
  }
}
