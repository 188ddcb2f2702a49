import { type CryptoKey, importJWK, type JWK, SignJWT } from "jose";
import { randomBase62 } from "../../common/ids.js";
import { type BoundRequest, requestBinding } from "../../common/request-binding.js";

/** Matches vault-service/internal/edge-token.ts: who signs, for whom, for how long. */
const EDGE_ISSUER = "gateway-edge";
const VAULT_AUDIENCE = "vault";
const LIFETIME_SECONDS = 30;

let cached: { source: string; key: Promise<{ kid: string; key: CryptoKey }> } | undefined;

function signingKey(source: string) {
  if (cached?.source !== source) {
    const jwk = JSON.parse(source) as JWK;
    if (!jwk.kid || !jwk.d) throw new Error("VAULT_SIGNING_KEY must be a private EC P-256 JWK with a kid");
    cached = {
      source,
      key: importJWK({ ...jwk, alg: "ES256" }, "ES256").then((key) => ({
        kid: jwk.kid as string,
        key: key as CryptoKey,
      })),
    };
  }
  return cached.key;
}

/**
 * A one-use service token for one call to the vault's internal API: ES256, audience `vault`,
 * 30 s, a fresh `jti` (the vault refuses a replay). `subject` names the payment it is for, and
 * the token names the request it was signed for (method, path, body hash; see
 * `request-binding.ts`), so a captured token cannot carry another call.
 */
export async function vaultToken(
  env: { VAULT_SIGNING_KEY: string },
  subject: string,
  request: BoundRequest,
): Promise<string> {
  const { kid, key } = await signingKey(env.VAULT_SIGNING_KEY);
  return new SignJWT({ ...(await requestBinding(request)) })
    .setProtectedHeader({ alg: "ES256", kid })
    .setIssuer(EDGE_ISSUER)
    .setAudience(VAULT_AUDIENCE)
    .setSubject(subject)
    .setJti(randomBase62(24))
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(key);
}
