import { type CryptoKey, createLocalJWKSet, importJWK, type JSONWebKeySet, type JWK } from "jose";

export const OPS_TOKEN_ALGORITHM = "ES256";

/**
 * The ops API's signing keys, from the `OAUTH_SIGNING_KEYS` secret: `{"keys":[<EC P-256 private
 * JWK with kid>, ...]}`. The first key signs; every key's public half is published at
 * `/.well-known/jwks.json`, so a rotation is: prepend a new key, wait one token lifetime, drop the old.
 */
export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  jwks: JSONWebKeySet;
  verifier: ReturnType<typeof createLocalJWKSet>;
}

let cached: { source: string; keys: Promise<SigningKeys> } | undefined;

const PUBLIC_MEMBERS = ["kty", "crv", "x", "y", "kid"] as const;

async function load(source: string): Promise<SigningKeys> {
  const parsed = JSON.parse(source) as { keys?: JWK[] };
  const keys = parsed.keys ?? [];
  const signer = keys[0];
  if (!signer?.kid || !signer.d) throw new Error("OAUTH_SIGNING_KEYS: the first key must be a private JWK with a kid");
  const jwks: JSONWebKeySet = {
    keys: keys.map((key) => {
      if (!key.kid) throw new Error("OAUTH_SIGNING_KEYS: every key needs a kid");
      const publicKey: JWK = { alg: OPS_TOKEN_ALGORITHM, use: "sig" };
      for (const member of PUBLIC_MEMBERS) if (key[member] !== undefined) publicKey[member] = key[member];
      return publicKey;
    }),
  };
  const privateKey = (await importJWK({ ...signer, alg: OPS_TOKEN_ALGORITHM }, OPS_TOKEN_ALGORITHM)) as CryptoKey;
  return { kid: signer.kid, privateKey, jwks, verifier: createLocalJWKSet(jwks) };
}

/** Parsed once per isolate (and again only if the secret changes). */
export function signingKeys(env: Env): Promise<SigningKeys> {
  if (cached?.source !== env.OAUTH_SIGNING_KEYS) {
    cached = { source: env.OAUTH_SIGNING_KEYS, keys: load(env.OAUTH_SIGNING_KEYS) };
  }
  return cached.keys;
}
