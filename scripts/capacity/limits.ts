import { CALLS_PER_OBJECT, MAX_SHARDS } from "../../workers/rate-limits/shards.js";

/** A number Cloudflare (or Visa) publishes, with the page that says so. */
export interface Published {
  value: number;
  unit: string;
  source: string;
}

/**
 * The platform's published limits the model holds the gateway to. Every figure is quoted from
 * the page named beside it (read 2026-11); none is measured here.
 */
export const PLATFORM = {
  /** "An individual Object has a soft limit of 1,000 requests per second." */
  objectRequestsPerSecond: {
    value: 1_000,
    unit: "requests/s per Durable Object (soft)",
    source: "https://developers.cloudflare.com/durable-objects/platform/limits/",
  },
  /** SQLite-backed classes: "Storage per Durable Object 10 GB". */
  objectStorageBytes: {
    value: 10e9,
    unit: "bytes per Durable Object",
    source: "https://developers.cloudflare.com/durable-objects/platform/limits/",
  },
  /** "An empty SQLite database consumes approximately 12 KB of storage." */
  emptyObjectBytes: {
    value: 12_000,
    unit: "bytes per SQLite-backed object",
    source: "https://developers.cloudflare.com/durable-objects/reference/faq/",
  },
  /** "Per-queue message throughput: 5,000 messages per second"; send() throws past it. */
  queueMessagesPerSecond: {
    value: 5_000,
    unit: "messages/s per queue",
    source: "https://developers.cloudflare.com/queues/platform/limits/",
  },
  /** "Concurrent consumer invocations: 250 (push-based only)". */
  queueConcurrentConsumers: {
    value: 250,
    unit: "concurrent consumer invocations per queue",
    source: "https://developers.cloudflare.com/queues/platform/limits/",
  },
  /** "Queues: 10,000 per account". */
  queuesPerAccount: {
    value: 10_000,
    unit: "queues per account",
    source: "https://developers.cloudflare.com/queues/platform/limits/",
  },
  /** "Maximum consumer batch size: 100 messages". */
  queueMaxBatch: {
    value: 100,
    unit: "messages per consumer batch",
    source: "https://developers.cloudflare.com/queues/platform/limits/",
  },
  /** Paid: "Maximum origin database connections (per configuration) ~100 connections". */
  hyperdriveConnections: {
    value: 100,
    unit: "origin connections per Hyperdrive configuration",
    source: "https://developers.cloudflare.com/hyperdrive/platform/limits/",
  },
  /** Paid: "Maximum configured databases: 25 per account". */
  hyperdriveConfigs: {
    value: 25,
    unit: "Hyperdrive configurations per account",
    source: "https://developers.cloudflare.com/hyperdrive/platform/limits/",
  },
  /** "Maximum query (statement) duration: 60 seconds". */
  hyperdriveStatementSeconds: {
    value: 60,
    unit: "seconds per statement through Hyperdrive",
    source: "https://developers.cloudflare.com/hyperdrive/platform/limits/",
  },
  /** "Maximum upload parts: 10,000". */
  r2UploadParts: {
    value: 10_000,
    unit: "parts per multipart upload",
    source: "https://developers.cloudflare.com/r2/platform/limits/",
  },
  /** "Simultaneous outgoing connections/request: 6" (a seventh waits for one of them). */
  workerOutgoingConnections: {
    value: 6,
    unit: "connections waiting for headers per invocation",
    source: "https://developers.cloudflare.com/workers/platform/limits/",
  },
  /** VisaNet "is capable of handling more than 65,000 transaction messages a second" (issue 17's target). */
  visaNetPeak: {
    value: 65_000,
    unit: "transaction messages/s",
    source: "https://usa.visa.com/dam/VCOM/download/corporate/media/visanet-technology/aboutvisafactsheet.pdf",
  },
} as const satisfies Record<string, Published>;

/**
 * How far below a limit the plan stays. A Durable Object is planned at the gateway's own figure
 * (`CALLS_PER_OBJECT`, workers/rate-limits/shards.ts: half the soft limit, for headroom); a queue
 * at 80% of its hard limit (send() throws past it, and hashing spreads load unevenly).
 */
export const PLAN = {
  objectRequestsPerSecond: CALLS_PER_OBJECT,
  queueMessagesPerSecond: 0.8 * PLATFORM.queueMessagesPerSecond.value,
  queueConcurrentConsumers: 0.8 * PLATFORM.queueConcurrentConsumers.value,
  hyperdriveConnections: 0.8 * PLATFORM.hyperdriveConnections.value,
  /** Half of the object's 10 GB: SQLite needs room to vacuum and to grow past a bad day. */
  objectStorageBytes: 0.5 * PLATFORM.objectStorageBytes.value,
  /** A single-writer object may spend half of each second waiting on R2. */
  serialWaitFraction: 0.5,
  /** The code's own cap on a limit's limiter objects (workers/rate-limits/shards.ts). */
  rateLimiterShards: MAX_SHARDS,
} as const;
