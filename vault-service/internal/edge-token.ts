import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, errors as joseErrors, jwtVerify } from "jose";
import { type BoundRequest, requestBinding } from "../../common/request-binding.js";
import type { JtiReplayGuard } from "./jti-replay-guard.js";

/** Audience and issuer of the service tokens the edge signs for each call to the vault. */
export const VAULT_AUDIENCE = "vault";
export const EDGE_ISSUER = "gateway-edge";
/** The longest lifetime the vault accepts, whatever the token says. */
export const MAX_EDGE_TOKEN_SECONDS = 60;
/** Clock skew allowed between the edge and the vault, on `exp` and `iat`. */
export const CLOCK_TOLERANCE_SECONDS = 5;

export type EdgeTokenCheck = { ok: true; subject: string } | { ok: false; reason: string };

/** The first binding claim that does not name `request`, or null when all three do. */
async function bindingMismatch(payload: JWTPayload, request: BoundRequest): Promise<string | null> {
  const expected = await requestBinding(request);
  for (const claim of ["htm", "htp", "bh"] as const) {
    if (payload[claim] !== expected[claim]) return `token not bound to this request (${claim})`;
  }
  return null;
}

/**
 * Verifies an edge service token: ES256 signature by a key in the edge's JWKS, issuer, audience
 * `vault`, a lifetime of at most 60 s, bound to the request it arrived on (method, path and body
 * hash, as RFC 9449 binds a DPoP proof to `htm`/`htu`), and a `jti` never seen before by any
 * vault instance (RFC 7519 §4.1.7). The jti is recorded last, so a token tried on the wrong
 * request is refused without spending it.
 */
export function edgeTokenVerifier(jwks: JSONWebKeySet, replay: Pick<JtiReplayGuard, "accept">) {
  const keys = createLocalJWKSet(jwks);
  return async function verifyEdgeToken(token: string, request: BoundRequest): Promise<EdgeTokenCheck> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ["ES256"],
        audience: VAULT_AUDIENCE,
        issuer: EDGE_ISSUER,
        requiredClaims: ["exp", "iat", "jti", "sub", "htm", "htp", "bh"],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return { ok: false, reason: error.code };
      throw error;
    }
    const issuedAt = payload.iat ?? 0;
    const expiresAt = payload.exp ?? 0;
    if (expiresAt - issuedAt > MAX_EDGE_TOKEN_SECONDS) return { ok: false, reason: "token lifetime too long" };
    const mismatch = await bindingMismatch(payload, request);
    if (mismatch) return { ok: false, reason: mismatch };
    // Kept until jose would no longer accept the token (exp plus the skew allowed).
    const check = await replay.accept(payload.jti ?? "", expiresAt + CLOCK_TOLERANCE_SECONDS);
    if (check !== "first use") return { ok: false, reason: check === "replayed" ? "token replayed" : check };
    return { ok: true, subject: payload.sub ?? "" };
  };
}
