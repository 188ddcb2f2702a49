/**
 * The settings the campaign's own stack starts with (`startStack(CHAOS_STACK_ENV)`): UPI and the
 * wallet on short timers, so a UPI payment's unknown outcome is settled in seconds, not in NPCI's
 * minutes, a wallet payment's in seconds, not PayPal-style minutes, and the settle phase
 * (`CHAOS_SETTLE_SECONDS`, 180 s) holds several rounds of status checks.
 *
 * - The edge's first status check 2 s after a ReqPay (NPCI: 90 s), then 4 s and 8 s, then backing
 *   off (16 s, 32 s, 64 s, ...: durable-objects/payment/upi/upi-timers.ts). A payment whose checks
 *   all met a broken switch for a fault window of two batches (at most about a minute and a half)
 *   is asked again within about two minutes of healing.
 * - The switch's request fence 5 s (NPCI-style: 60 s): a check that finds no transaction after
 *   that calls the request not sent.
 * - The test payers act after 0.3 s; slow@upi's callback comes after 6 s, past the first status
 *   check, so the check decides and the late callback must change nothing; expire@upi's collect
 *   lapses (U69) after 1.5 s; a failed credit is reversed after 1 s; a deemed one confirmed after 3 s.
 * - The wallet (issue 15): the edge asks about a payment awaiting its payer, or whose order's
 *   creation or capture went unanswered, 1 s after it started, then doubling to at most every 3 s
 *   (`npm start`: 5 s and 15 s; PayPal-style production: 60 s and 15 minutes), so a payment whose
 *   payer's return and webhook were both lost, or whose order lapsed, ends within seconds of
 *   healing. pending@wallet.test's capture completes (and pending-deny@'s is declined) after 2 s.
 *
 * Against an `npm start` already running (CHAOS_DEV_JSON), start it with the same settings, or
 * lost@upi and slow@upi wait for NPCI's 90 s and slow@upi's callback for 150 s, and a wallet
 * payment whose payer's return and webhook were lost waits up to 15 s between status checks.
 */
export const CHAOS_STACK_ENV: Readonly<Record<string, string>> = {
  UPI_FIRST_STATUS_CHECK_SECONDS: "2",
  UPI_REQUEST_FENCE_SECONDS: "5",
  UPI_PAYER_DELAY_MS: "300",
  UPI_SLOW_CALLBACK_MS: "6000",
  UPI_TEST_EXPIRY_MS: "1500",
  UPI_REVERSAL_DELAY_MS: "1000",
  UPI_DEEMED_RESOLVE_MS: "3000",
  WALLET_FIRST_STATUS_CHECK_SECONDS: "1",
  WALLET_STATUS_CHECK_MAX_SECONDS: "3",
  WALLET_PENDING_CAPTURE_MS: "2000",
};
