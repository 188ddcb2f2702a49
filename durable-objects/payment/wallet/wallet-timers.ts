import type { OperationIntent } from "../operations/operation-intent.js";

type TimerEnv = Pick<
  Env,
  "WALLET_FIRST_STATUS_CHECK_SECONDS" | "WALLET_STATUS_CHECK_MAX_SECONDS" | "WALLET_APPROVAL_WINDOW_SECONDS"
>;

const seconds = (value: string | undefined, fallback: number) => {
  const parsed = Number(value);
  return (Number.isFinite(parsed) && parsed > 0 ? parsed : fallback) * 1000;
};

/**
 * How long an order waits for its payer: PayPal forgets an order nobody approved after 3 hours
 * (a `CREATED` order's lifetime, developer.paypal.com/docs/api/orders/v2), so the gateway waits as
 * long and then asks; test stacks shorten it, the simulator's WALLET_ORDER_EXPIRY_MS with it.
 */
export function approvalWindowMs(env: TimerEnv): number {
  return seconds(env.WALLET_APPROVAL_WINDOW_SECONDS, 3 * 3600);
}

/**
 * When to ask the wallet next about a payment's order, after `checks` questions: the payer's
 * return and the wallet's webhook usually come first, so these are the safety net for both being
 * lost. The first after a minute, then doubling up to 15 minutes, and once just after the order
 * lapses, so an abandoned payment ends when its order does. A step that found no answer (the
 * wallet silent) is retried on the same schedule: a repeat carries the same PayPal-Request-Id.
 */
export function nextWalletCheckAt(env: TimerEnv, checks: number, now: number, expiresAt: string | null): number {
  const first = seconds(env.WALLET_FIRST_STATUS_CHECK_SECONDS, 60);
  const cap = Math.max(first, seconds(env.WALLET_STATUS_CHECK_MAX_SECONDS, 15 * 60));
  const scheduled = now + Math.min(first * 2 ** Math.min(checks, 20), cap);
  const lapse = expiresAt ? new Date(expiresAt).getTime() + 2_000 : null;
  const due = lapse !== null && lapse > now ? Math.min(scheduled, lapse) : scheduled;
  return Math.max(due, now + 1_000);
}

/** The PayPal-Request-Id of an order's capture or authorize: one per payment, so a repeat is the same request. */
export function orderActionRequestId(intent: Pick<OperationIntent, "id">, action: "capture" | "authorize"): string {
  return `${intent.id}-${action}`;
}
