import { createLocalJWKSet, type JSONWebKeySet, errors as joseErrors, jwtVerify } from "jose";
import type { JtiReplayGuard } from "./jti-replay-guard.js";

/** Audience and issuer of the service tokens the edge signs for each call to the vault. */
export const VAULT_AUDIENCE = "vault";
export const EDGE_ISSUER = "gateway-edge";
/** The longest lifetime the vault accepts, whatever the token says. */
export const MAX_EDGE_TOKEN_SECONDS = 60;

export type EdgeTokenCheck = { ok: true; subject: string } | { ok: false; reason: string };

/**
 * Verifies an edge service token: ES256 signature by a key in the edge's JWKS, issuer, audience
 * `vault`, a lifetime of at most 60 s, and a `jti` never seen before (replays refused).
 */
export function edgeTokenVerifier(jwks: JSONWebKeySet, replay: JtiReplayGuard) {
  const keys = createLocalJWKSet(jwks);
  return async function verifyEdgeToken(token: string): Promise<EdgeTokenCheck> {
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: ["ES256"],
        audience: VAULT_AUDIENCE,
        issuer: EDGE_ISSUER,
        requiredClaims: ["exp", "iat", "jti", "sub"],
        clockTolerance: 5,
      });
      const issuedAt = payload.iat ?? 0;
      const expiresAt = payload.exp ?? 0;
      if (expiresAt - issuedAt > MAX_EDGE_TOKEN_SECONDS) return { ok: false, reason: "token lifetime too long" };
      if (!replay.accept(payload.jti ?? "", issuedAt, expiresAt)) return { ok: false, reason: "token replayed" };
      return { ok: true, subject: payload.sub ?? "" };
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return { ok: false, reason: error.code };
      throw error;
    }
  };
}
