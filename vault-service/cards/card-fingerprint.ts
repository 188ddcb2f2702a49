import { createHmac, hkdfSync } from "node:crypto";

const SALT = Buffer.from("gateway/card-fingerprint/v1");

/**
 * A stable, non-reversible card identity, per merchant: HMAC-SHA256 of the PAN under a key
 * derived for that merchant with HKDF-SHA256 (RFC 5869) from `VAULT_FINGERPRINT_SECRET`.
 * - Keyed, because an unkeyed hash of a PAN falls to brute force (a 6-digit BIN and the Luhn
 *   digit leave about 10^9 candidates); PCI DSS 3.5.1.1 asks for a keyed cryptographic hash.
 * - Per merchant, so two merchants comparing fingerprints cannot tell they share a customer.
 * Truncated to 128 bits: ample to tell one merchant's cards apart.
 */
export function cardFingerprint(secret: Uint8Array, merchantId: string, pan: string): string {
  const merchantKey = Buffer.from(hkdfSync("sha256", secret, SALT, `merchant:${merchantId}`, 32));
  try {
    return `fp_${createHmac("sha256", merchantKey).update(pan).digest("hex").slice(0, 32)}`;
  } finally {
    merchantKey.fill(0);
  }
}
