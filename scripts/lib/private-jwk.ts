import { createPrivateKey, generateKeyPairSync } from "node:crypto";

/**
 * A new RSA private key (2048 bits) as a JWK, made so that Node 20 cannot deadlock exporting it.
 * Exporting a freshly generated key object as JWK holds the key's mutex while it allocates the
 * JWK's strings; a garbage collection then may destroy the generation job, whose destructor takes
 * the same mutex: the thread waits on itself for good (seen here: a test worker stuck in
 * `ExportJWKRsaKey` under `~KeyGenJob<RsaKeyGenTraits>`, CI hanging). The key leaves the job as
 * PEM, and a key object of its own (a mutex of its own) exports the JWK. Dev and tests only.
 */
export function newRsaPrivateJwk(): Record<string, string> {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return createPrivateKey(privateKey).export({ format: "jwk" }) as Record<string, string>;
}
