import { PLATFORM } from "./limits.js";

/**
 * What each queue consumer does per batch and per message, counted from the code, and how long
 * a batch keeps a consumer invocation (and a Hyperdrive connection) busy. Round trips are
 * Postgres statements; in Hyperdrive's transaction mode each one holds an origin connection for
 * its round trip, and a transaction holds one from BEGIN to COMMIT.
 */
export const CONSUMERS = {
  /** wrangler.toml: max_batch_size of every queue's consumer but payment-events', in every environment. */
  batch: 50,
  paymentEvents: {
    /**
     * wrangler.toml: payment-events' max_batch_size, the largest Queues allows: a batch is one
     * transaction of multi-row statements, so a bigger one projects more per round trip (issue 17).
     */
    batch: 100,
    /**
     * payment-projection.repository.ts applyPaymentEvents: merchantTerms, then one statement
     * (payments, payment_attempts, payment_events, refunds, balance_transactions, events and
     * webhook_deliveries as data-modifying CTEs, returning the untried deliveries): 2. It was 12
     * (BEGIN, a statement per table, COMMIT, then untriedDeliveries) until issue 17's session 13.
     */
    roundTripsPerBatch: 2,
    /** WEBHOOK_DELIVERY.sendBatch and audit-log.ts queueAudit, after the commit. */
    sendsPerBatch: 2,
  },
  webhookDelivery: {
    /**
     * webhook-deliveries.repository.ts loadDeliveries (the batch's deliveries, endpoints and
     * events in one query) and recordAttempts (the batch's attempts in one statement): 2 a batch.
     */
    roundTripsPerBatch: 2,
    /** Already per batch (issue 17 item 3's "load and record per batch"). */
    plannedRoundTripsPerBatch: 2,
  },
  auditLog: {
    /**
     * audit-pack.ts: the entries one queueAudit call makes travel packed, up to 100 KB a message:
     * a projection batch's transitions (100 at most, about 600 bytes each) are one message.
     */
    entriesPerPack: 100,
    /** audit.consumer.ts: insertRequestLogs, and card-access-forwarder.ts cardAccessEntries (one page). */
    roundTripsPerBatch: 2,
    /**
     * Calls into the audit chain per batch: append (the batch), cardAccessCursor, append (the
     * card accesses found), each append one R2 put under the chain's lock.
     */
    chainCallsPerBatch: 3,
    chainPutsPerBatch: 2,
    /** The plan: card accesses ride the queue too, and batches are the largest Queues allows. */
    plannedBatch: PLATFORM.queueMaxBatch.value,
  },
  /** audit-chain-store.ts REMEMBER_ENTRY_IDS_MS: the ids of 30 days of entries are kept. */
  chainRememberDays: 30,
  /** The plan's dedupe window (a day covers the queue's retries; see docs/capacity.md) and compact ids. */
  plannedChainRememberDays: 1,
  plannedChainEntryBytes: 24,
  /** settlement/r2-stream-writer.ts PART_BYTES: every part of a settlement file is 5 MiB. */
  settlementPartBytes: 5 * 1024 * 1024,
} as const;

/**
 * A webhook batch's time: its deliveries' statements one after another (they share one pg
 * Client, so they queue on one connection), and its POSTs six at a time (the Workers limit on
 * connections waiting for headers), each waiting on the merchant's endpoint.
 */
export function webhookBatchSeconds(roundTripsInBatch: number, roundTripMs: number, endpointMs: number): number {
  const waves = Math.ceil(CONSUMERS.batch / PLATFORM.workerOutgoingConnections.value);
  return (roundTripsInBatch * roundTripMs + waves * endpointMs) / 1000;
}
