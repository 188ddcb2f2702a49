import { CONSUMERS, webhookBatchSeconds } from "./consumers.js";
import { PLAN, PLATFORM } from "./limits.js";
import type { Context, Limit, Resource } from "./resource.js";

const MESSAGES: Limit = {
  value: PLATFORM.queueMessagesPerSecond.value,
  basis: "published",
  source: PLATFORM.queueMessagesPerSecond.source,
};
const MESSAGES_PLAN: Limit = { value: PLAN.queueMessagesPerSecond, basis: "plan", source: "80% of the queue's limit" };
const CONCURRENCY: Limit = {
  value: PLATFORM.queueConcurrentConsumers.value,
  basis: "published",
  source: PLATFORM.queueConcurrentConsumers.source,
};
const CONCURRENCY_PLAN: Limit = {
  value: PLAN.queueConcurrentConsumers,
  basis: "plan",
  source: "80% of the consumer limit",
};

const seconds = (roundTrips: number, c: Context) => (roundTrips * c.assumed.pgRoundTripMs) / 1000;

/** A queue's messages per second, as built (one queue per role) and planned (`payment-events-{n}`...). */
function messages(id: string, role: string, built: (c: Context) => number, planned = built): Resource {
  return {
    id: `${id}-messages`,
    name: `Queue: ${role} (messages)`,
    unit: "msg/s",
    partition: "queue",
    kind: "queue",
    group: id,
    limit: MESSAGES,
    plan: MESSAGES_PLAN,
    built: (c) => ({ rate: built(c), partitions: 1 }),
    planned: (c) => ({ rate: planned(c) }),
  };
}

/** A queue's consumer invocations running at once: batches per second times a batch's seconds. */
function consumers(id: string, role: string, built: (c: Context) => number, planned = built): Resource {
  return {
    id: `${id}-consumers`,
    name: `Queue: ${role} (concurrent consumers)`,
    unit: "running",
    partition: "queue",
    kind: "other",
    group: id,
    limit: CONCURRENCY,
    plan: CONCURRENCY_PLAN,
    built: (c) => ({ rate: built(c), partitions: 1 }),
    planned: (c) => ({ rate: planned(c) }),
  };
}

const batchesOf = (messagesPerSecond: number, batch: number = CONSUMERS.batch) => messagesPerSecond / batch;
const events = CONSUMERS.paymentEvents;
const deliveries = CONSUMERS.webhookDelivery;

export const QUEUE_RESOURCES: Resource[] = [
  messages("payment-events", "payment-events", (c) => c.derived.queue.paymentEvents),
  consumers(
    "payment-events",
    "payment-events",
    // One connect, the batch's transaction and query, then its two sends.
    (c) =>
      batchesOf(c.derived.queue.paymentEvents, events.batch) *
      seconds(1 + events.roundTripsPerBatch + events.sendsPerBatch, c),
  ),
  messages("webhook-delivery", "webhook-delivery", (c) => c.derived.queue.webhookDelivery),
  consumers(
    "webhook-delivery",
    "webhook-delivery",
    (c) =>
      batchesOf(c.derived.queue.webhookDelivery) *
      webhookBatchSeconds(deliveries.roundTripsPerBatch, c.assumed.pgRoundTripMs, c.assumed.webhookEndpointMs),
    (c) =>
      batchesOf(c.derived.queue.webhookDelivery) *
      webhookBatchSeconds(deliveries.plannedRoundTripsPerBatch, c.assumed.pgRoundTripMs, c.assumed.webhookEndpointMs),
  ),
  // The plan gives each audit chain shard its own queue (`audit-log-{n}`), card accesses included.
  {
    ...messages(
      "audit",
      "audit-log",
      (c) => c.derived.queue.auditLog,
      (c) => c.derived.chainEntries,
    ),
    id: "audit-log-messages",
  },
  {
    ...consumers(
      "audit",
      "audit-log",
      // A batch waits on its chain appends (one R2 put each, not counting the queue behind the single writer).
      (c) =>
        batchesOf(c.derived.queue.auditLog) *
        (seconds(1 + CONSUMERS.auditLog.roundTripsPerBatch, c) +
          (CONSUMERS.auditLog.chainPutsPerBatch * c.assumed.r2PutMs) / 1000),
      (c) =>
        batchesOf(c.derived.chainEntries, CONSUMERS.auditLog.plannedBatch) *
        (seconds(1 + CONSUMERS.auditLog.roundTripsPerBatch, c) + c.assumed.r2PutMs / 1000),
    ),
    id: "audit-log-consumers",
  },
];
