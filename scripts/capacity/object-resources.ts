import { shardCount } from "../../workers/rate-limits/shards.js";
import { CONSUMERS } from "./consumers.js";
import { KINDS } from "./flows.js";
import { PLAN, PLATFORM } from "./limits.js";
import { PAYMENT_KINDS } from "./mix.js";
import { KIND_COSTS } from "./per-payment.js";
import type { Context, Limit, Resource } from "./resource.js";

const SOFT: Limit = {
  value: PLATFORM.objectRequestsPerSecond.value,
  basis: "published",
  source: PLATFORM.objectRequestsPerSecond.source,
};
const PLANNED: Limit = {
  value: PLAN.objectRequestsPerSecond,
  basis: "code",
  source: "workers/rate-limits/shards.ts CALLS_PER_OBJECT",
};
const DAY = 86_400;

/** Creates per second: every payment kind's create is one `payments_create` request. */
const creates = (c: Context) => PAYMENT_KINDS.reduce((sum, kind) => sum + c.rates[kind], 0);

/** Worker isolates serving the API: each reads every processor's health once a second (health-snapshot.ts HEALTH_READS). */
const isolates = (c: Context) => c.perSecond.apiRequests / Math.max(1, c.assumed.requestsPerIsolate);

/** Outcomes the busiest processor's health object records: card attempts spread, UPI and wallet one processor each. */
function busiestProcessorRecords(c: Context): number {
  const card =
    (c.rates.card_auto * KIND_COSTS.card_auto.healthRecords +
      c.rates.card_manual * KIND_COSTS.card_manual.healthRecords) *
    c.assumed.topCardProcessorShare;
  return Math.max(
    card,
    c.rates.upi_collect * KIND_COSTS.upi_collect.healthRecords,
    c.rates.wallet * KIND_COSTS.wallet.healthRecords,
  );
}

/** Audit-log batches per second as built (50 messages each), and the plan's (100, card accesses included). */
const auditBatches = (c: Context) => c.derived.queue.auditLog / CONSUMERS.batch;
const plannedAuditBatches = (c: Context) => c.derived.chainEntries / CONSUMERS.auditLog.plannedBatch;

export const OBJECT_RESOURCES: Resource[] = [
  {
    id: "payment-object",
    name: "Durable Object: one payment (its life's calls in 1 s)",
    unit: "req/s",
    partition: "payment",
    kind: "object",
    limit: SOFT,
    plan: PLANNED,
    // Each payment is its own object (payments.routes.ts idFromName per key): its load never grows with the total.
    built: () => ({ rate: Math.max(...KINDS.map((kind) => KIND_COSTS[kind].objectRequests)), partitions: 1 }),
    planned: () => ({ rate: Math.max(...KINDS.map((kind) => KIND_COSTS[kind].objectRequests)) }),
  },
  {
    id: "rate-limiter",
    name: "Durable Object: rate limiter (largest merchant's creates)",
    unit: "req/s",
    partition: "limiter shard",
    kind: "object",
    limit: SOFT,
    plan: PLANNED,
    ceiling: { value: PLAN.rateLimiterShards, basis: "code", source: "workers/rate-limits/shards.ts MAX_SHARDS" },
    // limiter-client.ts countRequest: one take per request, on one of shardCount(limit) objects;
    // the merchant's limit is set to its own peak.
    built: (c) => {
      const rate = creates(c) * c.assumed.topMerchantShare;
      return { rate, partitions: shardCount(Math.max(1, Math.ceil(rate)), 1) };
    },
    planned: (c) => ({ rate: creates(c) * c.assumed.topMerchantShare }),
  },
  {
    id: "processor-health",
    name: "Durable Object: busiest processor's health",
    unit: "req/s",
    partition: "health object",
    kind: "object",
    limit: SOFT,
    plan: PLANNED,
    // attempt-health.ts reportAttemptHealth: one record per attempt; health-snapshot.ts: every
    // isolate reads every processor's object each second. Planned: each isolate sends its
    // outcomes once a second with its read, to one of the processor's shards.
    built: (c) => ({ rate: busiestProcessorRecords(c) + isolates(c), partitions: 1 }),
    planned: (c) => ({ rate: isolates(c) }),
  },
  {
    id: "chain-requests",
    name: "Durable Object: audit chain (calls)",
    unit: "req/s",
    partition: "chain shard",
    kind: "object",
    group: "audit",
    limit: SOFT,
    plan: PLANNED,
    // audit.consumer.ts: append per batch; card-access-forwarder.ts: cardAccessCursor, append.
    built: (c) => ({ rate: auditBatches(c) * CONSUMERS.auditLog.chainCallsPerBatch, partitions: 1 }),
    planned: (c) => ({ rate: plannedAuditBatches(c) }),
  },
  {
    id: "chain-r2-wait",
    name: "Durable Object: audit chain (R2 puts under its lock)",
    unit: "s of R2/s",
    partition: "chain shard",
    kind: "other",
    group: "audit",
    limit: {
      value: 1,
      basis: "code",
      source: "durable-objects/audit-chain/audit-chain.object.ts exclusive: one append at a time",
    },
    plan: { value: PLAN.serialWaitFraction, basis: "plan", source: "half of each second" },
    built: (c) => ({
      rate: (auditBatches(c) * CONSUMERS.auditLog.chainPutsPerBatch * c.assumed.r2PutMs) / 1000,
      partitions: 1,
    }),
    planned: (c) => ({ rate: (plannedAuditBatches(c) * c.assumed.r2PutMs) / 1000 }),
  },
  {
    id: "chain-storage",
    name: "Durable Object: audit chain (remembered entry ids)",
    unit: "bytes",
    partition: "chain shard",
    kind: "other",
    group: "audit",
    limit: { value: PLATFORM.objectStorageBytes.value, basis: "published", source: PLATFORM.objectStorageBytes.source },
    plan: { value: PLAN.objectStorageBytes, basis: "plan", source: "half the object's storage" },
    // audit-chain-store.ts advance: one chain_entries row per entry, deleted after REMEMBER_ENTRY_IDS_MS.
    built: (c) => ({
      rate: c.derived.chainEntries * CONSUMERS.chainRememberDays * DAY * c.assumed.chainEntryBytes,
      partitions: 1,
    }),
    planned: (c) => ({
      rate: c.derived.chainEntries * CONSUMERS.plannedChainRememberDays * DAY * CONSUMERS.plannedChainEntryBytes,
    }),
  },
];
