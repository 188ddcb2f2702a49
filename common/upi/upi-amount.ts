/**
 * UPI amounts: rupees with exactly two decimals on the wire (`<Amount value="499.00" curr="INR"/>`,
 * `am=499.00` in a `upi://pay` URL), paise (integers) everywhere in code, so no float ever holds money.
 */

/** The widest value the wire allows here: ten rupee digits (far above any UPI limit). */
const MAX_PAISE = 9_999_999_999_99;

/** 49900 -> "499.00". Throws on a non-integer, negative or over-wide amount: a bug in the caller, not input. */
export function paiseToRupees(paise: number): string {
  if (!Number.isSafeInteger(paise) || paise < 0 || paise > MAX_PAISE) {
    throw new RangeError(`not an amount in paise: ${paise}`);
  }
  return `${Math.floor(paise / 100)}.${String(paise % 100).padStart(2, "0")}`;
}

/** "499.00" -> 49900; anything but digits, a point and exactly two decimals is null (no "499", "4.5", "1e3", "+1.00"). */
export function rupeesToPaise(value: string): number | null {
  const match = /^(\d{1,10})\.(\d{2})$/.exec(value);
  if (!match) return null;
  return Number(match[1]) * 100 + Number(match[2]);
}
