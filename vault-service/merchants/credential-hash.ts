import { createHmac } from "node:crypto";

/**
 * `common/api-key-secret.ts`'s `hashCredential`, computed with node:crypto: the same
 * HMAC-SHA256(pepper, key) hex, but synchronous. WebCrypto's promise job per request was the
 * largest single cost of a tokenization on Node; a test pins the two to the same output.
 */
export function hashCredentialSync(pepper: string, credential: string): string {
  return createHmac("sha256", pepper).update(credential).digest("hex");
}
