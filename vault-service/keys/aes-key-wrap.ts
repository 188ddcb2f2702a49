import { createCipheriv, createDecipheriv } from "node:crypto";

/** RFC 5649 §3: the alternative initial value (AIV) that prefixes the message length. */
const AIV = Buffer.from("A65959A6", "hex");
const CIPHER = "id-aes256-wrap-pad";

/**
 * AES-256 key wrap with padding (RFC 5649; NIST SP 800-38F "KWP"), the same mechanism an HSM
 * offers as `CKM_AES_KEY_WRAP_PAD`, so a data key wrapped here has the shape a PKCS#11 provider
 * produces. The wrap is deterministic and authenticated: unwrapping with the wrong KEK, or a
 * wrapped key altered by a single bit, fails the integrity check instead of returning garbage.
 */
export function wrapKey(kek: Uint8Array, key: Uint8Array): Buffer {
  const cipher = createCipheriv(CIPHER, kek, AIV);
  return Buffer.concat([cipher.update(key), cipher.final()]);
}

export function unwrapKey(kek: Uint8Array, wrapped: Uint8Array): Buffer {
  try {
    const decipher = createDecipheriv(CIPHER, kek, AIV);
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch (cause) {
    // OpenSSL's message says nothing useful ("unsupported state"); name what actually happened.
    throw new Error("data key unwrap failed: wrong KEK or tampered wrapped key", { cause });
  }
}
