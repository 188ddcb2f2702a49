/**
 * Every time budget of an outbound payment operation, inner to outer, in one place. The rule
 * (pinned by `test/node/timeout-budgets.test.ts`): each layer gives up, and says "unknown",
 * before the layer that called it does, so the caller always hears the inner answer and an
 * outcome is never guessed from a timeout higher up.
 *
 *   acquirer TCP connect (per attempt, a few attempts)   -> never sent: `unavailable`
 *   acquirer response (ISO 8583 response timer)          -> sent, unanswered: `unknown`
 *   vault journal writes around the call (Postgres)
 *   vault answers by the edge's deadline minus a margin  -> `unknown` if the network is still out
 *   edge -> vault fetch (the deadline the edge sends)    -> the payment object keeps the intent pending
 *   edge alarm inquiries, with backoff, until definite
 *   the edge's service token outlives the call (a token the vault refuses is not an answer)
 */
export const BUDGETS = {
  /** One TCP connect to an acquirer host. */
  networkConnectMs: 2_000,
  /** Connect attempts: only a connection that never carried the request is retried. */
  networkConnectAttempts: 3,
  /** Pause between connect attempts. */
  networkConnectPauseMs: 200,
  /** The ISO 8583 response timer per network, once the request is on the wire. */
  networkResponseMs: { visa: 10_000, mastercard: 12_000 },
  /** The vault's journal writes around one network call (record before, outcome after). */
  vaultJournalMs: 2_000,
  /** The vault answers at the latest this long before the edge's deadline. */
  vaultReplyMarginMs: 1_500,
  /** The edge's fetch to the vault for an operation; the deadline it sends is now + this. */
  edgeVaultCallMs: 25_000,
  /** The edge's fetch for an inquiry (a journal read: short). */
  edgeInquiryCallMs: 5_000,
  /** An unresolved operation is first inquired about this long after its deadline. */
  edgeFirstInquiryAfterDeadlineMs: 1_000,
  /**
   * Then, between inquiries, by attempt (the last repeats). Capped at a minute: an inquiry is one
   * journal read, and the cap is what bounds how long a payment stays pending once every hop is
   * back (the vault's own resolver is capped the same way).
   */
  edgeInquiryBackoffMs: [2_000, 5_000, 15_000, 30_000, 60_000],
  /** The vault's owed work (reversal, repeat advice, inquiry), between attempts, by attempt. */
  vaultResolveBackoffMs: [1_000, 2_000, 5_000, 15_000, 30_000, 60_000],
  /** Lifetime of the edge's service token for one call (the vault caps it at 60 s). */
  serviceTokenMs: 60_000,
  /**
   * UPI (issue 14), the switch's response times since 16 Jun 2025 (NPCI, sources in
   * ../shared/notes/processors.md): a ReqPay is acknowledged within 15 s, a status check or a
   * VPA validation answered within 10 s. Past them the call is lost, and the status check decides.
   */
  upiPayAnswerMs: 15_000,
  upiCheckAnswerMs: 10_000,
  /** The status-check schedule's ceiling once NPCI's three checks are spent and the answer is still pending. */
  upiLateCheckIntervalMs: 15 * 60_000,
} as const;

/** The worst case of one network exchange: every connect attempt fails slowly, then the slowest response timer. */
export function worstNetworkExchangeMs(): number {
  const connects =
    BUDGETS.networkConnectAttempts * BUDGETS.networkConnectMs +
    (BUDGETS.networkConnectAttempts - 1) * BUDGETS.networkConnectPauseMs;
  return connects + Math.max(...Object.values(BUDGETS.networkResponseMs));
}

/** The edge's inquiry wait for attempt `n` (0-based). */
export function inquiryBackoffMs(attempt: number): number {
  const schedule = BUDGETS.edgeInquiryBackoffMs;
  return schedule[Math.min(attempt, schedule.length - 1)] ?? 60_000;
}

/**
 * How long after every hop is healthy again an operation is definite at the latest: the vault's
 * resolver and the edge's inquiry each wait at most their last interval, plus one exchange.
 */
export function settleBoundMs(): number {
  const last = (schedule: readonly number[]) => schedule.at(-1) ?? 0;
  return last(BUDGETS.vaultResolveBackoffMs) + last(BUDGETS.edgeInquiryBackoffMs) + worstNetworkExchangeMs();
}

/** The vault's wait before owed-work attempt `n` (0-based). */
export function resolveBackoffMs(attempt: number): number {
  const schedule = BUDGETS.vaultResolveBackoffMs;
  return schedule[Math.min(attempt, schedule.length - 1)] ?? 60_000;
}
