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

/**
 * What the payer does at the wallet simulator's approval page (simulators/wallet/test-payers.ts),
 * weighted towards paying so captures, voids and refunds have payments to act on: `approve` pays;
 * `pending` (a capture PENDING, then COMPLETED) and `pending-deny` (PENDING, then DECLINED);
 * `decline` (INSTRUMENT_DECLINED at the capture or authorize); `deny` (a DECLINED capture in a
 * COMPLETED order); `abandon` opens the page and leaves; `cancel` presses Cancel and does not come
 * back. The last two never approve: the plan expires their orders at the wallet a few batches later.
 */
export const WALLET_PAYERS = [
  "approve",
  "approve",
  "approve",
  "approve",
  "approve",
  "pending",
  "pending-deny",
  "decline",
  "deny",
  "abandon",
  "cancel",
] as const;
export type WalletPayer = (typeof WALLET_PAYERS)[number];

/** Payers who never approve: their orders lapse (an `expire` step), and their payments with them. */
export const NEVER_APPROVES: ReadonlySet<WalletPayer> = new Set(["abandon", "cancel"]);

/** Where the merchant's pages would be: never fetched, the payer's trip stops at the gateway's redirect to them. */
export const SHOP_RETURN = "https://shop.example/chaos/return";
export const SHOP_CANCEL = "https://shop.example/chaos/cancel";

/** What a slot (a payment of the plan) was created with: a card, a UPI collect, or a wallet order. */
type Slot =
  | { method: "card"; amount: number; manual: boolean; card: Card }
  | { method: "upi"; amount: number }
  | { method: "wallet"; amount: number; manual: boolean };

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
  | {
      op: "create";
      method: "wallet";
      slot: number;
      amount: number;
      manual: boolean;
      /** The payer's trip, right after the create: who logs in at the approval page, and what they do. */
      payer: WalletPayer;
      /** Whether the payer's browser follows the wallet's redirect to the gateway's return page. */
      follow: boolean;
      /** How long the payer takes at the approval page. */
      payerAfterMs: number;
      request: PlannedRequest;
      resetAfterMs?: number;
    }
  | { op: "capture" | "cancel" | "refund"; slot: number; request: PlannedRequest; resetAfterMs?: number }
  /** The wallet's clock: the order of a payer who never approved lapses (the simulator's admin forces it). */
  | { op: "expire"; slot: number }
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
 * seeded mix of creates (cards, UPI collects to the switch's test payers, and wallet orders with
 * the wallet's test payers approving, declining, or leaving), captures (full and partial), cancels,
 * refunds (full and partial), client retries under the same key and concurrent duplicates. A UPI
 * payment is single-message (captured as the payer pays, nothing to capture or cancel), so its
 * follow-ups are refunds; a wallet payment's are a card's. Follow-ups name payments created in an
 * earlier batch, so a plan never depends on how fast the stack answered. About one operation in
 * twelve has its payment object reset while it runs. The order of a wallet payer who never
 * approves is expired at the wallet one to three batches after its create, and those still waiting
 * when the plan ends in one last batch, so no payment is left waiting for a payer.
 */
export function planOperations(prng: Prng, count: number, concurrency: number, keyPrefix: string): Plan {
  const steps: Step[] = [];
  const batches: Step[][] = [];
  const slots: Slot[] = [];
  const posts: number[] = [];
  let lapsing: { slot: number; due: number }[] = [];
  const expire = (batch: Step[], due: (entry: { due: number }) => boolean) => {
    for (const { slot } of lapsing.filter(due)) {
      const step: Step = { op: "expire", slot };
      steps.push(step);
      batch.push(step);
    }
    lapsing = lapsing.filter((entry) => !due(entry));
  };
  while (steps.length < count) {
    const ready = slots.length; // follow-ups only on payments of earlier batches
    const batch: Step[] = [];
    expire(batch, (entry) => entry.due <= batches.length);
    for (let i = batch.length; i < concurrency && steps.length < count; i++) {
      const key = `${keyPrefix}-${steps.length}`;
      const step = drawStep(prng, key, ready, slots, posts);
      if ("request" in step) posts.push(steps.length);
      if (step.op === "create" && step.method === "wallet" && NEVER_APPROVES.has(step.payer)) {
        lapsing.push({ slot: step.slot, due: batches.length + prng.int(1, 3) });
      }
      steps.push(step);
      batch.push(step);
    }
    batches.push(batch);
  }
  if (lapsing.length > 0) {
    const last: Step[] = [];
    expire(last, () => true);
    batches.push(last);
  }
  return { batches, steps };
}

function drawStep(prng: Prng, key: string, ready: number, slots: Slot[], posts: number[]): Step {
  const roll = ready < 3 ? 0 : prng.next();
  if (roll < 0.3) {
    const which = prng.next();
    const slot = slots.length;
    const create =
      which < 0.3
        ? upiCreate(prng, key, slot)
        : which < 0.6
          ? walletCreate(prng, key, slot)
          : cardCreate(prng, key, slot);
    slots.push(
      create.method === "upi"
        ? { method: "upi", amount: create.amount }
        : create.method === "wallet"
          ? { method: "wallet", amount: create.amount, manual: create.manual }
          : { method: "card", amount: create.amount, manual: create.manual, card: create.card },
    );
    // Reset while its authorization (or its ReqPay, or its order) is out: the object is found by its name (merchant + key).
    return prng.chance(1 / 12) ? { ...create, resetAfterMs: prng.int(10, 600) } : create;
  }
  if (roll < 0.82) {
    const slot = prng.int(0, ready - 1);
    const payment = slots[slot] as Slot;
    const reset = prng.chance(1 / 12) ? { resetAfterMs: prng.int(10, 600) } : {};
    const path = (op: string) => `/v1/payments/pay/${slot}/${op}`;
    // A UPI payment has nothing to capture or cancel: its follow-ups are all refunds.
    if (roll < 0.5 && payment.method !== "upi") {
      const full = prng.chance(0.5);
      const body = full
        ? {}
        : { amount_to_capture: Math.max(1, Math.floor(payment.amount * prng.pick([0.25, 0.5, 0.9]))) };
      return { op: "capture", slot, request: { path: path("capture"), body, key }, ...reset };
    }
    if (roll < 0.58 && payment.method !== "upi") {
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

/**
 * A PayPal payment (issue 15), in cents: 1.00 to 500.00 USD, automatic or manual capture, with the
 * merchant's return and cancel pages at the top level or inside `payment_method` (both are taken).
 */
function walletCreate(prng: Prng, key: string, slot: number): Extract<Step, { method: "wallet" }> {
  const amount = prng.int(100, 50_000);
  const manual = prng.chance(0.45);
  const payer = prng.pick(WALLET_PAYERS);
  const follow = prng.chance(0.6);
  const payerAfterMs = prng.int(0, 400);
  const pages = { return_url: SHOP_RETURN, cancel_url: SHOP_CANCEL };
  const body = prng.chance(0.3)
    ? {
        amount,
        currency: "usd",
        payment_method: { type: "paypal", ...pages },
        capture_method: manual ? "manual" : "automatic",
      }
    : {
        amount,
        currency: "usd",
        payment_method: { type: "paypal" },
        ...pages,
        capture_method: manual ? "manual" : "automatic",
      };
  return {
    op: "create",
    method: "wallet",
    slot,
    amount,
    manual,
    payer,
    follow,
    payerAfterMs,
    request: { path: "/v1/payments", body, key },
  };
}

/** The real path of a follow-up, once its payment's id is known. */
export function resolvePath(path: string, ids: (string | undefined)[]): string | undefined {
  const match = /^\/v1\/payments\/pay\/(\d+)\/(\w+)$/.exec(path);
  if (!match) return path;
  const id = ids[Number(match[1])];
  return id ? `/v1/payments/${id}/${match[2]}` : undefined;
}
