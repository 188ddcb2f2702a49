import type { Prng } from "./prng.js";

/** The test cards: Visa and Mastercard approve, 9995 declines (insufficient funds), Amex has no route. */
export const CARDS = {
  visa: "4242424242424242",
  mastercard: "5555555555554444",
  decline: "4000000000009995",
  amex: "378282246310005",
} as const;
export type Card = keyof typeof CARDS;

/** One merchant request: its path, body and Idempotency-Key (a retry sends all three again). */
export interface PlannedRequest {
  path: string;
  body: Record<string, unknown>;
  key: string;
}

/**
 * One step of the campaign. `slot` numbers payments in creation order; a follow-up names the slot,
 * and the payment's id is learned when its create is answered.
 */
export type Step =
  | {
      op: "create";
      slot: number;
      card: Card;
      amount: number;
      manual: boolean;
      request: PlannedRequest;
      resetAfterMs?: number;
    }
  | { op: "capture" | "cancel" | "refund"; slot: number; request: PlannedRequest; resetAfterMs?: number }
  | { op: "retry"; of: number }
  | { op: "duplicate"; of: number };

export interface Plan {
  /** Steps run batch by batch; the steps of one batch run concurrently. */
  batches: Step[][];
  /** Every POST step by its global index (retries and duplicates name one). */
  steps: Step[];
}

/**
 * The operation sequence for a seed: creates first (a campaign needs payments to act on), then a
 * seeded mix of creates, captures (full and partial), cancels, refunds (full and partial), client
 * retries under the same key and concurrent duplicates. Follow-ups name payments created in an
 * earlier batch, so a plan never depends on how fast the stack answered. About one operation in
 * twelve has its payment object reset while it runs.
 */
export function planOperations(prng: Prng, count: number, concurrency: number, keyPrefix: string): Plan {
  const steps: Step[] = [];
  const batches: Step[][] = [];
  const slots: { amount: number; manual: boolean; card: Card }[] = [];
  const posts: number[] = [];
  while (steps.length < count) {
    const ready = slots.length; // follow-ups only on payments of earlier batches
    const batch: Step[] = [];
    for (let i = 0; i < concurrency && steps.length < count; i++) {
      const key = `${keyPrefix}-${steps.length}`;
      const step = drawStep(prng, key, ready, slots, posts);
      if ("request" in step) posts.push(steps.length);
      steps.push(step);
      batch.push(step);
    }
    batches.push(batch);
  }
  return { batches, steps };
}

function drawStep(
  prng: Prng,
  key: string,
  ready: number,
  slots: { amount: number; manual: boolean; card: Card }[],
  posts: number[],
): Step {
  const roll = ready < 3 ? 0 : prng.next();
  if (roll < 0.3) {
    const card = prng.pick(["visa", "visa", "mastercard", "mastercard", "decline", "amex"] as const);
    const amount = prng.int(100, 50_000);
    const manual = prng.chance(0.55);
    const token = `{${card}}`; // replaced by the card's token when sent
    slots.push({ amount, manual, card });
    const body = {
      amount,
      currency: "usd",
      payment_method: { type: "card", token },
      capture_method: manual ? "manual" : "automatic",
    };
    // Reset while its authorization is out: the object is found by its name (merchant + key).
    const reset = prng.chance(1 / 12) ? { resetAfterMs: prng.int(10, 600) } : {};
    const request = { path: "/v1/payments", body, key };
    return { op: "create", slot: slots.length - 1, card, amount, manual, request, ...reset };
  }
  if (roll < 0.82) {
    const slot = prng.int(0, ready - 1);
    const payment = slots[slot] as { amount: number };
    const reset = prng.chance(1 / 12) ? { resetAfterMs: prng.int(10, 600) } : {};
    const path = (op: string) => `/v1/payments/pay/${slot}/${op}`;
    if (roll < 0.5) {
      const full = prng.chance(0.5);
      const body = full
        ? {}
        : { amount_to_capture: Math.max(1, Math.floor(payment.amount * prng.pick([0.25, 0.5, 0.9]))) };
      return { op: "capture", slot, request: { path: path("capture"), body, key }, ...reset };
    }
    if (roll < 0.58) return { op: "cancel", slot, request: { path: path("cancel"), body: {}, key }, ...reset };
    const full = prng.chance(0.4);
    const body = full ? {} : { amount: Math.max(1, Math.floor(payment.amount * prng.pick([0.1, 0.3, 0.5]))) };
    return { op: "refund", slot, request: { path: path("refund"), body, key }, ...reset };
  }
  const of = prng.pick(posts);
  return roll < 0.93 ? { op: "retry", of } : { op: "duplicate", of };
}

/** The real path of a follow-up, once its payment's id is known. */
export function resolvePath(path: string, ids: (string | undefined)[]): string | undefined {
  const match = /^\/v1\/payments\/pay\/(\d+)\/(\w+)$/.exec(path);
  if (!match) return path;
  const id = ids[Number(match[1])];
  return id ? `/v1/payments/${id}/${match[2]}` : undefined;
}
