import { createHmac } from "node:crypto";
import type { CardBrand } from "../../common/card-brands.js";

/** What the simulated issuer says to a card: yes, or a decline in Stripe's terms. */
export type CardOutcome =
  | { approved: true }
  | { approved: false; code: string; declineCode?: string; message: string; param?: "exp_month" | "cvc" };

const declined = (declineCode: string, message = "Your card was declined."): CardOutcome => ({
  approved: false,
  code: "card_declined",
  declineCode,
  message,
});

/**
 * Stripe's published test numbers (docs.stripe.com/testing, "Declined payments"), each with the
 * error `code` and `decline_code` Stripe answers with. Lost and stolen cards get the same message
 * as a generic decline: Stripe never tells the cardholder why. Any other number is approved, as
 * 4242 4242 4242 4242, 5555 5555 5555 4444, 3782 822463 10005 (Amex), 6011 1111 1111 1117
 * (Discover) and 3566 0020 2036 0505 (JCB) are; one failing Luhn never reaches the issuer
 * (card-checks.ts refuses it first).
 */
const TEST_CARDS: Readonly<Record<string, CardOutcome>> = {
  "4000000000000002": declined("generic_decline"),
  "4000000000009995": declined("insufficient_funds", "Your card has insufficient funds."),
  "4000000000009987": declined("lost_card"),
  "4000000000009979": declined("stolen_card"),
  "4000000000000069": { approved: false, code: "expired_card", message: "Your card has expired.", param: "exp_month" },
  "4000000000000127": {
    approved: false,
    code: "incorrect_cvc",
    message: "Your card's security code is incorrect.",
    param: "cvc",
  },
  "4000000000000119": {
    approved: false,
    code: "processing_error",
    message: "An error occurred while processing your card. Try again in a little bit.",
  },
};

/** The issuer's answer for a card that passed the format checks (Luhn among them). */
export function cardOutcome(number: string): CardOutcome {
  return TEST_CARDS[number] ?? { approved: true };
}

/** The network by its issuer identification number ranges, by the names Stripe uses. */
export function brandOf(number: string): CardBrand | "unknown" {
  const prefix = (digits: number) => Number(number.slice(0, digits));
  if (number.startsWith("4")) return "visa";
  if ((prefix(2) >= 51 && prefix(2) <= 55) || (prefix(4) >= 2221 && prefix(4) <= 2720)) return "mastercard";
  if (prefix(2) === 34 || prefix(2) === 37) return "amex";
  if (number.startsWith("6011") || number.startsWith("65") || (prefix(3) >= 644 && prefix(3) <= 649)) return "discover";
  if (prefix(4) >= 3528 && prefix(4) <= 3589) return "jcb";
  if ((prefix(3) >= 300 && prefix(3) <= 305) || [36, 38, 39].includes(prefix(2))) return "diners";
  if (number.startsWith("62")) return "unionpay";
  return "unknown";
}

/**
 * Stands for the card in the books without being it: an HMAC keyed by a secret of the simulator,
 * so the same card gets the same fingerprint and no one without the key can test guesses (a
 * plain hash of a PAN falls to a search over BIN and Luhn; PCI DSS 3.5.1 asks for a keyed one).
 */
export function fingerprint(number: string, key: string): string {
  return createHmac("sha256", key).update(number).digest("base64url").replace(/[-_]/g, "").slice(0, 16);
}
