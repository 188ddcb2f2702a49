import type { Assumed } from "./assumptions.js";
import { type Bytes, bytesOf } from "./bytes.js";
import { CONSUMERS } from "./consumers.js";
import { addCost, type Cost, zeroCost } from "./cost.js";
import { flowCost, KINDS, type Kind } from "./flows.js";
import { flowRates, type Mix } from "./mix.js";

/** Every kind's cost, counted once. */
export const KIND_COSTS: Readonly<Record<Kind, Cost>> = Object.fromEntries(
  KINDS.map((kind) => [kind, flowCost(kind)]),
) as Record<Kind, Cost>;

/** One average payment of the mix, its share of refunds included. */
export function blendedCost(mix: Mix): Cost {
  const perPayment = flowRates(1, mix);
  return KINDS.reduce<Cost>((total, kind) => addCost(total, KIND_COSTS[kind], perPayment[kind]), zeroCost());
}

/** What a cost comes to in the platform's units (per payment, or per second when `cost` is a rate). */
export interface Derived {
  /** Rows Cloudflare bills in the payment's objects: SQL rows, setAlarm calls, reference rows. */
  objectRowsBilled: number;
  queue: { paymentEvents: number; webhookDelivery: number; auditLog: number };
  /** (event, endpoint) deliveries opened, and the attempts (queue messages) they take. */
  deliveries: number;
  deliveryAttempts: number;
  /** Entries in the audit hash chain: transitions, key uses, card accesses. */
  chainEntries: number;
  /** Rows the edge writes to Postgres (the projection, deliveries, request logs, the cut). */
  postgresRows: number;
  vaultCalls: number;
  vaultRows: number;
  bytes: Bytes;
}

export function derive(cost: Cost, assumed: Assumed): Derived {
  const deliveries = cost.merchantEvents * assumed.webhookEndpoints;
  const deliveryAttempts = deliveries * (1 + assumed.webhookRetries);
  return {
    objectRowsBilled: cost.objectRows + cost.alarmSets + cost.referenceObjects,
    queue: {
      // payment.object.ts alarm: one message per outbox row.
      paymentEvents: cost.transitions,
      // payment-projection.consumer.ts -> delivery-queue.ts: one message per delivery; a failed
      // attempt queues the next (webhook-delivery.consumer.ts deliver).
      webhookDelivery: deliveryAttempts,
      // request-log middleware: a summary per request; payment-projection.consumer.ts queueAudit:
      // a batch's transitions' entries packed into one message (audit-pack.ts).
      auditLog: cost.apiRequests + cost.transitions / CONSUMERS.auditLog.entriesPerPack,
    },
    deliveries,
    deliveryAttempts,
    // audit.consumer.ts (entries, keyUseEntry per summary) and card-access-forwarder.ts.
    chainEntries: cost.transitions + cost.apiRequests + cost.cardAccesses,
    // payment-projection.repository.ts applyPaymentEvents (payments, attempts, payment_events,
    // refunds, balance_transactions), events.repository.ts recordEvents (events, deliveries),
    // webhook-deliveries.repository.ts recordAttempt (delivery update + attempt row),
    // settlement-cut.ts (each movement moved to paid), request-logs.repository.ts.
    postgresRows:
      cost.drains +
      cost.attemptUpserts +
      cost.refundUpserts +
      cost.transitions +
      cost.merchantEvents +
      deliveries +
      2 * deliveryAttempts +
      2 * cost.balanceEntries +
      cost.apiRequests,
    vaultCalls: cost.vaultTokenizations + cost.vaultOperations,
    vaultRows: cost.vaultRows,
    bytes: bytesOf(cost, deliveries, deliveryAttempts),
  };
}
