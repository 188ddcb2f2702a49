/**
 * The sandbox's test payers, chosen by e-mail on the approval page. What each does happens when
 * the merchant acts (capture or authorize), except `abandon`, who never approves:
 * - approve@wallet.test pays;
 * - decline@wallet.test's instrument is declined: capture or authorize answers 422
 *   INSTRUMENT_DECLINED and the order waits for the payer again (PayPal: "restart the flow so the
 *   payer picks another funding source", developer.paypal.com/api/handle-payment-failures);
 * - abandon@wallet.test leaves the page: nothing returns, the order expires;
 * - pending@wallet.test's capture is PENDING (reason PENDING_REVIEW) and COMPLETES later, each
 *   announced by webhook;
 * - pending-deny@wallet.test's capture is PENDING likewise, then DECLINED after the review
 *   (announced PAYMENT.CAPTURE.DENIED, as an eCheck that bounces is);
 * - deny@wallet.test's capture is DECLINED inside a COMPLETED order (Orders v2: "a completed order
 *   can indicate ... a payment was declined").
 * Any other address pays as approve@ does.
 */
export type PayerBehaviour = "approve" | "decline" | "abandon" | "pending" | "pending-deny" | "deny";

export const TEST_PAYERS: Record<string, PayerBehaviour> = {
  "approve@wallet.test": "approve",
  "decline@wallet.test": "decline",
  "abandon@wallet.test": "abandon",
  "pending@wallet.test": "pending",
  "pending-deny@wallet.test": "pending-deny",
  "deny@wallet.test": "deny",
};

export const DEFAULT_PAYER = "approve@wallet.test";

export function behaviourOf(email: string): PayerBehaviour {
  return TEST_PAYERS[email.toLowerCase()] ?? "approve";
}

/** The status a new capture from this payer's account has. */
export function captureStatusFor(behaviour: PayerBehaviour): "COMPLETED" | "PENDING" | "DECLINED" {
  if (behaviour === "pending" || behaviour === "pending-deny") return "PENDING";
  return behaviour === "deny" ? "DECLINED" : "COMPLETED";
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,63}$/;

export function isEmail(text: string): boolean {
  return EMAIL.test(text);
}
