import { createCipheriv, createDecipheriv } from "node:crypto";
import { randomBytesFromPool } from "../../common/random-pool.js";
import type { KeyProvider } from "./key-provider.js";

/** What is stored for one sealed record: nothing here is readable without the key provider. */
export interface Envelope {
  ciphertext: Buffer;
  /** 96-bit nonce: the GCM size that needs no extra derivation (NIST SP 800-38D §8.2.2). */
  iv: Buffer;
  /** 128-bit GCM tag: authenticates the ciphertext and the associated data. */
  tag: Buffer;
  wrappedDek: Buffer;
  kekVersion: string;
}

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Envelope encryption (PCI DSS 3.5.1 / 3.6): a fresh 256-bit data key per record encrypts it with
 * AES-256-GCM, and only the data key's wrapped form is kept. One data key per record keeps each
 * key far below GCM's per-key limits with random nonces, and lets a KEK rotation rewrap 40 bytes
 * instead of re-encrypting the data. `associatedData` is authenticated but not stored: the caller
 * passes what the record must stay bound to, and opening it under any other binding fails.
 */
export async function seal(keys: KeyProvider, plaintext: Uint8Array, associatedData: Uint8Array): Promise<Envelope> {
  const dataKey = await keys.generateDataKey();
  try {
    const iv = Buffer.from(randomBytesFromPool(IV_BYTES).buffer);
    const cipher = createCipheriv(ALGORITHM, dataKey.plaintext, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      ciphertext,
      iv,
      tag: cipher.getAuthTag(),
      wrappedDek: Buffer.from(dataKey.wrapped.wrapped),
      kekVersion: dataKey.wrapped.kekVersion,
    };
  } finally {
    dataKey.plaintext.fill(0);
  }
}

/** The plaintext, which the caller wipes when done; throws if anything was altered or rebound. */
export async function open(keys: KeyProvider, envelope: Envelope, associatedData: Uint8Array): Promise<Buffer> {
  const dataKey = await keys.unwrapDataKey({ kekVersion: envelope.kekVersion, wrapped: envelope.wrappedDek });
  try {
    const decipher = createDecipheriv(ALGORITHM, dataKey, envelope.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData);
    decipher.setAuthTag(envelope.tag);
    return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]);
  } catch (cause) {
    throw new Error("envelope authentication failed: the record was altered or belongs elsewhere", { cause });
  } finally {
    dataKey.fill(0);
  }
}
