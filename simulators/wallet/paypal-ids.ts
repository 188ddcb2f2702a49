import { createHash, randomBytes, randomUUID } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function upperAlnum(length: number, bytes = randomBytes(length)): string {
  // `byte % 36` favours the first four characters slightly: harmless for simulated ids.
  let id = "";
  for (const byte of bytes.subarray(0, length)) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

/**
 * Ids shaped as PayPal's are: orders, captures, authorizations and refunds are 17 upper-case
 * letters and digits (`5O190127TN364715T`); webhook events `WH-<17>-<17>`; a payer id 13
 * (`QYR5Z8XDVJNXQ`); a debug id 13 hex digits; a transmission id a UUID. (Samples in PayPal's
 * Orders v2 and webhooks reference.)
 */
export const paypalId = () => upperAlnum(17);
export const eventId = () => `WH-${upperAlnum(17)}-${upperAlnum(17)}`;
export const debugId = () => randomBytes(7).toString("hex").slice(0, 13);
export const transmissionId = () => randomUUID();

/** The same payer always gets the same id: derived from the e-mail address. */
export function payerIdFor(email: string): string {
  return upperAlnum(13, createHash("sha256").update(email.toLowerCase()).digest());
}
