import type { Prng } from "./prng.js";

/** The test cards: Visa and Mastercard approve, 9995 declines (insufficient funds), Amex has no route. */
export const CARDS = {
  visa: "4242424242424242",
  mastercard: "5555555555554444",
  decline: "4000000000009995",
  amex: "378282246310005",
} as const;
export type Card = keyof typeof CARDS;

/**
 * The UPI switch simulator's deterministic payers (simulators/upi-switch/test-vpas.ts), weighted
 * towards success so refunds have captured payments to act on: success, declines with each NPCI
 * code (U30, ZA, ZM, Z9, U16), slow@upi (its callback after the first status check), lost@upi (no
 * callback: only a status check finds it) and expire@upi (U69). Never manual@upi: it waits for a
 * person on the payer page, and nobody is there.
 */
export const UPI_PAYERS = [
  "success@upi",
  "success@upi",
  "success@upi",
  "success@upi",
  "slow@upi",
  "lost@upi",
  "failure@upi",
  "declined@upi",
  "pin@upi",
  "funds@upi",
  "risk@upi",
  "expire@upi",
] as const;
export type UpiPayer = (typeof UPI_PAYERS)[number];

/** What a slot (a payment of the plan) was created with: a card, or a UPI collect from a test payer. */
type Slot = { method: "card"; amount: number; manual: boolean; card: Card } | { method: "upi"; amount: number };

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
      method: "card";
      slot: number;
      card: Card;
      amount: number;
      manual: boolean;
      request: PlannedRequest;
      resetAfterMs?: number;
    }
  | {
      op: "create";
      method: "upi";
      slot: number;
      vpa: UpiPayer;
      amount: number;
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
 * seeded mix of creates (cards, and UPI collects to the switch's test payers), captures (full and
 * partial), cancels, refunds (full and partial), client retries under the same key and concurrent
 * duplicates. A UPI payment is single-message (captured as the payer pays, nothing to capture or
 * cancel), so its follow-ups are refunds. Follow-ups name payments created in an earlier batch, so
 * a plan never depends on how fast the stack answered. About one operation in twelve has its
 * payment object reset while it runs.
 */
export function planOperations(prng: Prng, count: number, concurrency: number, keyPrefix: string): Plan {
  const steps: Step[] = [];
  const batches: Step[][] = [];
  const slots: Slot[] = [];
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

function drawStep(prng: Prng, key: string, ready: number, slots: Slot[], posts: number[]): Step {
  const roll = ready < 3 ? 0 : prng.next();
  if (roll < 0.3) {
    const create = prng.chance(0.4) ? upiCreate(prng, key, slots.length) : cardCreate(prng, key, slots.length);
    slots.push(
      create.method === "upi"
        ? { method: "upi", amount: create.amount }
        : { method: "card", amount: create.amount, manual: create.manual, card: create.card },
    );
    // Reset while its authorization (or its ReqPay) is out: the object is found by its name (merchant + key).
    return prng.chance(1 / 12) ? { ...create, resetAfterMs: prng.int(10, 600) } : create;
  }
  if (roll < 0.82) {
    const slot = prng.int(0, ready - 1);
    const payment = slots[slot] as Slot;
    const reset = prng.chance(1 / 12) ? { resetAfterMs: prng.int(10, 600) } : {};
    const path = (op: string) => `/v1/payments/pay/${slot}/${op}`;
    // A UPI payment has nothing to capture or cancel: its follow-ups are all refunds.
    if (roll < 0.5 && payment.method === "card") {
      const full = prng.chance(0.5);
      const body = full
        ? {}
        : { amount_to_capture: Math.max(1, Math.floor(payment.amount * prng.pick([0.25, 0.5, 0.9]))) };
      return { op: "capture", slot, request: { path: path("capture"), body, key }, ...reset };
    }
    if (roll < 0.58 && payment.method === "card") {
      return { op: "cancel", slot, request: { path: path("cancel"), body: {}, key }, ...reset };
    }
    const full = prng.chance(0.4);
    const body = full ? {} : { amount: Math.max(1, Math.floor(payment.amount * prng.pick([0.1, 0.3, 0.5]))) };
    return { op: "refund", slot, request: { path: path("refund"), body, key }, ...reset };
  }
  const of = prng.pick(posts);
  return roll < 0.93 ? { op: "retry", of } : { op: "duplicate", of };
}

function cardCreate(prng: Prng, key: string, slot: number): Extract<Step, { method: "card" }> {
  const card = prng.pick(["visa", "visa", "mastercard", "mastercard", "decline", "amex"] as const);
  const amount = prng.int(100, 50_000);
  const manual = prng.chance(0.55);
  const token = `{${card}}`; // replaced by the card's token when sent
  const body = {
    amount,
    currency: "usd",
    payment_method: { type: "card", token },
    capture_method: manual ? "manual" : "automatic",
  };
  return { op: "create", method: "card", slot, card, amount, manual, request: { path: "/v1/payments", body, key } };
}

/** A UPI collect (issue 14), in paise: 1.00 to 500.00 INR, far under the per-transaction limit. */
function upiCreate(prng: Prng, key: string, slot: number): Extract<Step, { method: "upi" }> {
  const vpa = prng.pick(UPI_PAYERS);
  const amount = prng.int(100, 50_000);
  const body = { amount, currency: "inr", payment_method: { type: "upi", upi: { flow: "collect", vpa } } };
  return { op: "create", method: "upi", slot, vpa, amount, request: { path: "/v1/payments", body, key } };
}

/** The real path of a follow-up, once its payment's id is known. */
export function resolvePath(path: string, ids: (string | undefined)[]): string | undefined {
  const match = /^\/v1\/payments\/pay\/(\d+)\/(\w+)$/.exec(path);
  if (!match) return path;
  const id = ids[Number(match[1])];
  return id ? `/v1/payments/${id}/${match[2]}` : undefined;
}
