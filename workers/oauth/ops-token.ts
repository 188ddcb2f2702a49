import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { randomBase62 } from "../../common/ids.js";
import type { OpsPrincipal } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { OPS_TOKEN_ALGORITHM, signingKeys } from "./signing-keys.js";

/** Access tokens are short-lived (RFC 6749 §4.4.3 has no refresh token for this grant). */
export const OPS_TOKEN_TTL_SECONDS = 300;
export const OPS_TOKEN_AUDIENCE = "gateway-ops";

export async function issueOpsToken(env: Env, clientId: string, scopes: readonly string[]): Promise<string> {
  const keys = await signingKeys(env);
  return new SignJWT({ scope: scopes.join(" ") })
    .setProtectedHeader({ alg: OPS_TOKEN_ALGORITHM, kid: keys.kid, typ: "at+jwt" })
    .setIssuer(env.OAUTH_ISSUER)
    .setAudience(OPS_TOKEN_AUDIENCE)
    .setSubject(clientId)
    .setJti(randomBase62(24))
    .setIssuedAt()
    .setExpirationTime(`${OPS_TOKEN_TTL_SECONDS}s`)
    .sign(keys.privateKey);
}

/** Verifies signature (by `kid`), algorithm, issuer, audience, expiry (RFC 9068 §4). */
export async function verifyOpsToken(env: Env, token: string): Promise<OpsPrincipal> {
  const keys = await signingKeys(env);
  try {
    const { payload } = await jwtVerify(token, keys.verifier, {
      algorithms: [OPS_TOKEN_ALGORITHM],
      issuer: env.OAUTH_ISSUER,
      audience: OPS_TOKEN_AUDIENCE,
      requiredClaims: ["exp", "iat", "sub", "jti"],
      clockTolerance: 5,
    });
    const scope = typeof payload.scope === "string" ? payload.scope : "";
    return { clientId: payload.sub ?? "", scopes: new Set(scope.split(" ").filter(Boolean)) };
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) throw new ApiError("ops_token_invalid", { cause: error });
    throw error;
  }
}
