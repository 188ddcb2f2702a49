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

export function luhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return number.length >= 12 && sum % 10 === 0;
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
