/**
 * PCI DSS 3.4 / 3.5: a card number must never land in a free-text field (a description, a
 * metadata value, a customer reference), where it would be stored in clear, projected, logged
 * and sent in webhooks. A merchant pasting one by mistake gets a 400 instead.
 *
 * A card number here is 13-19 digits (every length in ISO/IEC 7812-1), optionally grouped by
 * single spaces or dashes, that passes the Luhn check (ISO/IEC 7812-1 annex B). Digit runs of
 * other lengths, and runs that fail Luhn (order numbers, phone numbers, most timestamps), pass.
 */
const DIGIT_RUN = /(?<![0-9])\d(?:[ -]?\d){12,18}(?![0-9])/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Whether `text` holds something shaped like a card number. */
export function containsCardNumber(text: string): boolean {
  for (const match of text.matchAll(DIGIT_RUN)) {
    // A run glued to more digits by a separator ("1234-5678-...-90123") is judged whole.
    const digits = match[0].replace(/[ -]/g, "");
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return true;
  }
  return false;
}
