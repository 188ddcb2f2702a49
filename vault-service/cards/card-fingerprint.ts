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
  return `fp_${createHmac("sha256", merchantKey(secret, merchantId)).update(pan).digest("hex").slice(0, 32)}`;
}

/**
 * Derived keys are kept (bounded) rather than re-derived per card: HKDF per tokenization was a
 * measurable share of the vault's CPU, and these keys are no more secret than the root they come
 * from, which the process holds anyway.
 */
const MAX_MERCHANT_KEYS = 10_000;
const derived = new WeakMap<Uint8Array, Map<string, Buffer>>();

function merchantKey(secret: Uint8Array, merchantId: string): Buffer {
  let keys = derived.get(secret);
  if (!keys) {
    keys = new Map();
    derived.set(secret, keys);
  }
  let key = keys.get(merchantId);
  if (!key) {
    if (keys.size >= MAX_MERCHANT_KEYS) {
      const oldest = keys.keys().next().value as string;
      keys.get(oldest)?.fill(0);
      keys.delete(oldest);
    }
    key = Buffer.from(hkdfSync("sha256", secret, SALT, `merchant:${merchantId}`, 32));
    keys.set(merchantId, key);
  }
  return key;
}
