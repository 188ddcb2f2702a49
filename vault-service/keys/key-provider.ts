/**
 * Envelope encryption's key-encryption side. Each card gets its own 256-bit data key (DEK); the
 * DEK is stored only wrapped by a key-encryption key (KEK) that the provider holds: in an HSM
 * over PKCS#11 (the KEK never leaves it), or in a local file for zero-setup development.
 *
 * KEKs are versioned. New data keys are always wrapped by the current version; older versions
 * stay able to unwrap (decrypt-only) until a rotation has rewrapped every data key.
 */
export interface WrappedDataKey {
  /** Which KEK wrapped it, e.g. "v1". */
  kekVersion: string;
  /** The wrapped DEK (RFC 5649 AES key wrap with padding, or the provider's equivalent). */
  wrapped: Uint8Array;
}

export interface KeyProvider {
  readonly name: "software" | "pkcs11";
  /** The KEK version new data keys are wrapped with. */
  currentVersion(): string;
  /** Every KEK version this provider can still unwrap with, current first. */
  versions(): string[];
  /** A fresh random 32-byte data key and its wrapped form under the current KEK. */
  generateDataKey(): Promise<{ plaintext: Uint8Array; wrapped: WrappedDataKey }>;
  /** The plaintext data key; throws if the version is unknown or the wrapping was tampered with. */
  unwrapDataKey(wrapped: WrappedDataKey): Promise<Uint8Array>;
  /** Wraps an existing data key under the current KEK (used by rotation to rewrap). */
  wrapDataKey(plaintext: Uint8Array): Promise<WrappedDataKey>;
  /** Creates a new KEK version and makes it current; older versions become decrypt-only. */
  rotate(): Promise<string>;
  /**
   * Retires an older KEK once no data key is wrapped with it: destroyed in the HSM, removed from
   * the key file (PCI DSS 3.6.1.2 / 3.7.5). Throws for the current version.
   */
  retire(version: string): Promise<void>;
  close(): Promise<void>;
}
