/**
 * What one step of a payment's life costs, counted from the code. Every counter is per
 * occurrence; the model derives queue messages, Postgres rows and bytes from them
 * (`per-payment.ts`), so each fact is counted once, where it happens.
 */
export const COUNTERS = [
  /** New payments: one Durable Object, one payments row, one attempts row each. */
  "newPayments",
  /** Merchant API calls: each takes one limiter object call and sends one request summary. */
  "apiRequests",
  /** Processor callbacks and payer pages that reach the payment object without an API key. */
  "inboundCalls",
  /** Calls into the payment's Durable Object, its alarm runs included. */
  "objectRequests",
  /** SQL rows the payment object inserts, updates or deletes. */
  "objectRows",
  /** `setAlarm` calls (Cloudflare bills each as one row written). */
  "alarmSets",
  /** Logged changes: one transition_log and outbox row each, then a payment-events message. */
  "transitions",
  /** Outbox drains that carry messages: one sendBatch, one payments upsert in the projection. */
  "drains",
  /** Outbox rows those drains sent and deleted (every transition is drained exactly once). */
  "drained",
  /** payment_attempts rows the projection upserts (the newest message carries every attempt). */
  "attemptUpserts",
  /** refunds rows the projection upserts. */
  "refundUpserts",
  /** Merchant-facing events (`evt_`), each opening one delivery per subscribed endpoint. */
  "merchantEvents",
  /** balance_transactions rows (each moved to paid by the settlement cut). */
  "balanceEntries",
  /** ProcessorHealthObject.record calls (one per attempt whose outcome is definite). */
  "healthRecords",
  /** ProcessorReferenceObject calls (a UPI transaction's claim, then its callback's lookup). */
  "referenceCalls",
  /** New ProcessorReferenceObjects (one stored row each). */
  "referenceObjects",
  /** Postgres statements on the API request's own path. */
  "routingQueries",
  /** Tokenizations at the vault (the browser's `pay.js`, publishable key). */
  "vaultTokenizations",
  /** Edge -> vault internal calls (authorize, capture, void, refund). */
  "vaultOperations",
  /** Rows the vault writes to its Postgres. */
  "vaultRows",
  /** vault_card_access_log rows (each forwarded into the audit chain). */
  "cardAccesses",
  /** Outbound calls to a processor (ISO 8583 host, UPI switch, wallet). */
  "processorCalls",
  /** Operation intents the object keeps (operations table). */
  "operations",
  /** Idempotency rows the object keeps (24 h, expired only when an alarm runs after that). */
  "idempotencyKeys",
] as const;

export type Counter = (typeof COUNTERS)[number];
export type Cost = Record<Counter, number>;

/** One step of a flow: what it is, where the code does it, and what it costs. */
export interface Step extends Partial<Cost> {
  what: string;
  where: string;
}

export function zeroCost(): Cost {
  return Object.fromEntries(COUNTERS.map((counter) => [counter, 0])) as Cost;
}

/** `a + k * b`, counter by counter. */
export function addCost(a: Cost, b: Partial<Cost>, k = 1): Cost {
  const sum = { ...a };
  for (const counter of COUNTERS) sum[counter] += k * (b[counter] ?? 0);
  return sum;
}

export function sumSteps(steps: readonly Step[]): Cost {
  return steps.reduce<Cost>((total, step) => addCost(total, step), zeroCost());
}
