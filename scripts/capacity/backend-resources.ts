import type { Assumed } from "./assumptions.js";
import { CONSUMERS } from "./consumers.js";
import { PLATFORM } from "./limits.js";
import { PAYLOAD } from "./payloads.js";
import type { Context, Limit, Resource } from "./resource.js";

const DAY = 86_400;
const rt = (c: Context) => c.assumed.pgRoundTripMs / 1000;
const CONFIGS: Limit = {
  value: PLATFORM.hyperdriveConfigs.value,
  basis: "published",
  source: PLATFORM.hyperdriveConfigs.source,
};

/** Origin connections held at once: each statement holds one for its round trip, a transaction for all of its own. */
function connections(c: Context, webhookRoundTrips: number, auditBatch: number): number {
  const { derived, perSecond } = c;
  return (
    rt(c) *
    (perSecond.routingQueries +
      (derived.queue.paymentEvents / CONSUMERS.paymentEvents.batch) * CONSUMERS.paymentEvents.roundTripsPerBatch +
      webhookRoundTrips +
      (derived.chainEntries / auditBatch) * CONSUMERS.auditLog.roundTripsPerBatch)
  );
}

/** A primary's rows per second (assumed). */
const primary = (a: Assumed): Limit => ({
  value: a.postgresRowsPerSecond,
  basis: "assumption",
  source: "postgresRowsPerSecond",
});

/** The rows one statement moves before Hyperdrive's 60 s statement limit ends it. */
const statement = (a: Assumed): Limit => ({
  value: PLATFORM.hyperdriveStatementSeconds.value * a.postgresUpdateRowsPerSecond,
  basis: "assumption",
  source: `${PLATFORM.hyperdriveStatementSeconds.source} (60 s) x postgresUpdateRowsPerSecond`,
});

/** The largest merchant's balance movements in one business day: what one cut moves and files. */
const movementsPerDay = (c: Context) => c.perSecond.balanceEntries * c.assumed.topMerchantShare * DAY;

export const BACKEND_RESOURCES: Resource[] = [
  {
    id: "hyperdrive",
    name: "Hyperdrive: origin connections",
    unit: "conns",
    partition: "configuration",
    kind: "other",
    group: "postgres-edge",
    limit: {
      value: PLATFORM.hyperdriveConnections.value,
      basis: "published",
      source: PLATFORM.hyperdriveConnections.source,
    },
    plan: { value: 0.8 * PLATFORM.hyperdriveConnections.value, basis: "plan", source: "80% of a configuration's pool" },
    ceiling: CONFIGS,
    built: (c) => ({
      rate: connections(
        c,
        (c.derived.deliveryAttempts / CONSUMERS.batch) * CONSUMERS.webhookDelivery.roundTripsPerBatch,
        CONSUMERS.batch,
      ),
      partitions: 1,
    }),
    planned: (c) => ({
      rate: connections(
        c,
        (c.derived.deliveryAttempts / CONSUMERS.batch) * CONSUMERS.webhookDelivery.plannedRoundTripsPerBatch,
        CONSUMERS.auditLog.plannedBatch,
      ),
    }),
  },
  {
    id: "postgres-edge",
    name: "Postgres primaries: edge tables",
    unit: "rows/s",
    partition: "primary",
    kind: "other",
    // A Hyperdrive configuration names one origin: one configuration per primary at least.
    group: "postgres-edge",
    limit: primary,
    plan: (a) => ({ ...primary(a), value: 0.8 * a.postgresRowsPerSecond, basis: "plan" }),
    ceiling: CONFIGS,
    built: (c) => ({ rate: c.derived.postgresRows, partitions: 1 }),
    planned: (c) => ({ rate: c.derived.postgresRows }),
  },
  {
    id: "postgres-vault",
    name: "Postgres primaries: vault tables",
    unit: "rows/s",
    partition: "primary",
    kind: "other",
    limit: primary,
    plan: (a) => ({ ...primary(a), value: 0.8 * a.postgresRowsPerSecond, basis: "plan" }),
    built: (c) => ({ rate: c.derived.vaultRows, partitions: 1 }),
    planned: (c) => ({ rate: c.derived.vaultRows }),
  },
  {
    id: "vault",
    name: "Vault replicas (2 cores each)",
    unit: "replicas",
    partition: "replica",
    kind: "other",
    limit: { value: 1, basis: "assumption", source: "vaultOperationsPerReplica, vaultTokenizationsPerReplica" },
    plan: { value: 0.8, basis: "plan", source: "80% of a replica" },
    built: (c) => ({ rate: vaultLoad(c), partitions: 1 }),
    planned: (c) => ({ rate: vaultLoad(c) }),
  },
  {
    id: "settlement-cut",
    name: "Settlement cut: one UPDATE (largest merchant's day)",
    unit: "rows",
    partition: "statement",
    kind: "other",
    // Hyperdrive ends a statement at 60 s; settlement-cut.ts moves the whole day in one UPDATE.
    limit: statement,
    plan: (a) => ({ ...statement(a), value: 0.5 * statement(a).value, basis: "plan" }),
    built: (c) => ({ rate: movementsPerDay(c), partitions: 1 }),
    planned: (c) => ({ rate: movementsPerDay(c) }),
  },
  {
    id: "settlement-file",
    name: "Settlement file in R2 (largest merchant's day, JSON)",
    unit: "bytes",
    partition: "file",
    kind: "other",
    limit: {
      value: PLATFORM.r2UploadParts.value * CONSUMERS.settlementPartBytes,
      basis: "published",
      source: `${PLATFORM.r2UploadParts.source} (10,000 parts) x r2-stream-writer.ts PART_BYTES (5 MiB)`,
    },
    plan: {
      value: 0.5 * PLATFORM.r2UploadParts.value * CONSUMERS.settlementPartBytes,
      basis: "plan",
      source: "half the largest upload",
    },
    built: (c) => ({ rate: movementsPerDay(c) * PAYLOAD.settlementJsonItem, partitions: 1 }),
    planned: (c) => ({ rate: movementsPerDay(c) * PAYLOAD.settlementJsonItem }),
  },
];

/** Replicas kept busy: tokenizations at the measured rate, operations at the assumed one. */
function vaultLoad(c: Context): number {
  return (
    c.perSecond.vaultTokenizations / c.assumed.vaultTokenizationsPerReplica +
    c.perSecond.vaultOperations / c.assumed.vaultOperationsPerReplica
  );
}
