import { BUDGETS } from "../../../common/timeout-budgets.js";
import type { OperationIntent } from "../operations/operation-intent.js";

type TimerEnv = Pick<Env, "UPI_FIRST_STATUS_CHECK_SECONDS" | "UPI_REQUEST_FENCE_SECONDS">;

/** NPCI's three status checks (circular of 26 Apr 2025): the first no sooner than this after initiation. */
export const NPCI_STATUS_CHECKS = 3;

/** The first status check's delay: 90 s by NPCI's rule, shorter where a test stack says so. */
export function firstStatusCheckMs(env: TimerEnv): number {
  const seconds = Number(env.UPI_FIRST_STATUS_CHECK_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 90) * 1000;
}

/**
 * The switch refuses a ReqPay whose Head/@ts is older than this (its request fence), so a status
 * check made later than this after the request, that finds no transaction, proves the request
 * never arrived and never will: the operation is safe to call not sent.
 */
export function requestFenceMs(env: TimerEnv): number {
  const seconds = Number(env.UPI_REQUEST_FENCE_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 60) * 1000;
}

/**
 * When to ask the switch next about `intent`, after `checks` status checks: NPCI's timers (the
 * first check `first` after initiation, then doubling: 90 s, 180 s, 360 s), then, while the
 * answer stays pending (a deemed credit, a reversal under way), every 15 minutes until definite.
 * A collect or intent still awaiting its payer is also checked just after it lapses, when the
 * switch has expired it, so an unpaid request ends promptly.
 */
export function nextStatusCheckAt(
  env: TimerEnv,
  intent: Pick<OperationIntent, "created_at">,
  checks: number,
  now: number,
  expiresAt: string | null,
): number {
  const first = firstStatusCheckMs(env);
  const start = new Date(intent.created_at).getTime();
  const scheduled =
    checks < NPCI_STATUS_CHECKS
      ? start + first * 2 ** checks
      : now + Math.min(first * 2 ** checks, BUDGETS.upiLateCheckIntervalMs);
  // Never before NPCI's first check, even for a request that lapses sooner.
  const lapse = expiresAt ? Math.max(new Date(expiresAt).getTime() + 2_000, start + first) : null;
  const due = lapse !== null && lapse > now ? Math.min(scheduled, lapse) : scheduled;
  // Never in the past, never a tight loop.
  return Math.max(due, now + 1_000);
}
