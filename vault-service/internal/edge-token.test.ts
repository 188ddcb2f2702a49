import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { BoundRequest } from "../../common/request-binding.js";
import { vaultToken } from "../../workers/vault/vault-token.js";
import { edgeTokenVerifier } from "./edge-token.js";
import type { ReplayCheck } from "./jti-replay-guard.js";

const request: BoundRequest = { method: "POST", path: "/internal/v1/capture", body: '{"amount":100}' };
const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

let edge: { VAULT_SIGNING_KEY: string };
let jwks: JSONWebKeySet;

/** A verifier whose replay store answers `answer` and remembers what it was asked. */
function verifier(answer: ReplayCheck = "first use") {
  const asked: string[] = [];
  const verify = edgeTokenVerifier(jwks, {
    accept: async (jti) => {
      asked.push(jti);
      return answer;
    },
  });
  return { verify, asked };
}

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  edge = { VAULT_SIGNING_KEY: JSON.stringify({ ...(await exportJWK(privateKey)), kid: "k1" }) };
  jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" }] };
});

describe("edge service tokens bound to their request", () => {
  it("admits the request the token was signed for, hashing the raw bytes received", async () => {
    const { verify } = verifier();
    const token = await vaultToken(edge, "pay_1", request);
    expect(await verify(token, { ...request, body: bytes('{"amount":100}') })).toEqual({ ok: true, subject: "pay_1" });
  });

  it("refuses it on another method, path or body, without spending its jti", async () => {
    const { verify, asked } = verifier();
    const token = await vaultToken(edge, "pay_1", request);
    for (const [claim, other] of [
      ["htm", { ...request, method: "PUT" }],
      ["htp", { ...request, path: "/internal/v1/refund" }],
      ["bh", { ...request, body: '{"amount":100} ' }],
    ] as const) {
      expect(await verify(token, other)).toEqual({ ok: false, reason: `token not bound to this request (${claim})` });
    }
    expect(asked).toEqual([]);
  });

  it("refuses a token that names no request at all (signed before binding existed)", async () => {
    const key = await importJWK({ ...JSON.parse(edge.VAULT_SIGNING_KEY), alg: "ES256" }, "ES256");
    const unbound = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .setIssuer("gateway-edge")
      .setAudience("vault")
      .setSubject("pay_1")
      .setJti("j1")
      .setIssuedAt()
      .setExpirationTime("30s")
      .sign(key);
    const { verify } = verifier();
    expect(await verify(unbound, request)).toMatchObject({ ok: false, reason: "ERR_JWT_CLAIM_VALIDATION_FAILED" });
  });

  it("refuses a replayed token and any token when the replay store cannot answer", async () => {
    const token = await vaultToken(edge, "pay_1", request);
    expect(await verifier("replayed").verify(token, request)).toEqual({ ok: false, reason: "token replayed" });
    expect(await verifier("replay store unavailable").verify(token, request)).toEqual({
      ok: false,
      reason: "replay store unavailable",
    });
  });
});
