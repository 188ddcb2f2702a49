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

/**
 * The hexadecimal word around `[start, end)`, when it is an identifier or a digest: 32 or more hex
 * characters with a letter among them (a SHA-256, a UUID without dashes, the gateway's own `pay_`
 * and `cs_` ids). About 1 in 100 random 64-character hex strings holds a Luhn-valid run of 13 or
 * more digits by chance; a card number is not written glued inside one.
 */
function insideHexIdentifier(text: string, start: number, end: number): boolean {
  const hex = /[0-9a-f]/i;
  let from = start;
  let to = end;
  while (from > 0 && hex.test(text[from - 1] ?? "")) from -= 1;
  while (to < text.length && hex.test(text[to] ?? "")) to += 1;
  const word = text.slice(from, to);
  return word.length >= 32 && /[a-f]/i.test(word);
}

/** Whether `text` holds something shaped like a card number. */
export function containsCardNumber(text: string): boolean {
  for (const match of text.matchAll(DIGIT_RUN)) {
    if (!/[ -]/.test(match[0]) && insideHexIdentifier(text, match.index, match.index + match[0].length)) continue;
    // A run glued to more digits by a separator ("1234-5678-...-90123") is judged whole.
    const digits = match[0].replace(/[ -]/g, "");
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return true;
  }
  return false;
}
