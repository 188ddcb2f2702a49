import { luhnValid as passesLuhn } from "../../common/card-like-text.js";

/**
 * How the simulated issuer answers, by card number: the test numbers merchants already know from
 * Stripe's docs, each with the ISO 8583 field 39 code a real issuer would send. Any other
 * Luhn-valid number is approved; a number failing Luhn gets 14 (invalid card number).
 */
export const TEST_CARDS: Readonly<Record<string, { responseCode: string; meaning: string }>> = {
  "4242424242424242": { responseCode: "00", meaning: "Visa, approved" },
  "4000056655665556": { responseCode: "00", meaning: "Visa debit, approved" },
  "5555555555554444": { responseCode: "00", meaning: "Mastercard, approved" },
  "5200828282828210": { responseCode: "00", meaning: "Mastercard debit, approved" },
  "4000000000000002": { responseCode: "05", meaning: "do not honour (generic decline)" },
  "4000000000009995": { responseCode: "51", meaning: "insufficient funds" },
  "4000000000000069": { responseCode: "54", meaning: "expired card" },
  "4000000000000119": { responseCode: "96", meaning: "system malfunction (processing error)" },
  "4100000000000019": { responseCode: "43", meaning: "stolen card, pick up" },
  "4000000000000101": { responseCode: "82", meaning: "CVC check failed" },
};

/** A number an issuer could have issued: 12 digits at least, and the Luhn check digit right. */
export function luhnValid(number: string): boolean {
  return number.length >= 12 && passesLuhn(number);
}

/** The issuer's decision for an authorization or sale. */
export function issuerDecision(pan: string, expiryYymm: string | undefined, amount: number, now: Date): string {
  if (!luhnValid(pan)) return "14";
  if (amount <= 0) return "13";
  if (expiryYymm && /^\d{4}$/.test(expiryYymm)) {
    const expiry = 2000 + Number(expiryYymm.slice(0, 2)) + Number(expiryYymm.slice(2)) / 100;
    const current = now.getUTCFullYear() + (now.getUTCMonth() + 1) / 100;
    if (expiry < current) return "54";
  }
  return TEST_CARDS[pan]?.responseCode ?? "00";
}
