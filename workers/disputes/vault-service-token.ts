import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";

/** Matches vault-service/network/edge-notifier.ts: who signs, for whom. */
const VAULT_ISSUER = "vault-service";
const EDGE_AUDIENCE = "gateway-edge";

let cached: { source: string; keys: ReturnType<typeof createLocalJWKSet> } | undefined;

/**
 * Verifies a service token the vault signed (ES256, at most 60 s old) against VAULT_NOTIFY_JWKS,
 * the vault's public keys. The vault's connector service uses it to hand the edge what card
 * networks tell it (chargebacks); the edge holds only the public half, so it cannot mint them.
 */
export async function verifyVaultToken(env: { VAULT_NOTIFY_JWKS: string }, token: string): Promise<boolean> {
  if (cached?.source !== env.VAULT_NOTIFY_JWKS) {
    cached = {
      source: env.VAULT_NOTIFY_JWKS,
      keys: createLocalJWKSet(JSON.parse(env.VAULT_NOTIFY_JWKS) as JSONWebKeySet),
    };
  }
  try {
    await jwtVerify(token, cached.keys, {
      issuer: VAULT_ISSUER,
      audience: EDGE_AUDIENCE,
      algorithms: ["ES256"],
      maxTokenAge: "60s",
      requiredClaims: ["exp", "iat", "jti"],
    });
    return true;
  } catch {
    return false;
  }
}
