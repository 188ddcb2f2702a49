import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { newRsaPrivateJwk } from "./private-jwk.js";

/**
 * The UPI switch simulator's key pair and the gateway's (as a PSP registered with the switch),
 * RSA-2048 as NPCI's message signing uses (common/upi/upi-signature.ts), made once per data
 * directory. Each side signs with its private JWK and verifies the other with its public JWKS.
 */
export interface UpiDevKeys {
  /** Private JWK (JSON) the switch signs its answers and callbacks with. */
  switchSigningKey: string;
  /** The switch's public JWKS (JSON): the edge verifies callbacks with it. */
  switchJwks: string;
  /** Private JWK (JSON) the edge signs its UPI requests with. */
  pspSigningKey: string;
  /** The edge's public JWKS (JSON): the switch verifies requests with it. */
  pspJwks: string;
}

type PrivateJwk = Record<string, string>;

interface StoredKeys {
  switch: PrivateJwk;
  psp: PrivateJwk;
}

function rsaJwk(kidPrefix: string): PrivateJwk {
  const kid = `${kidPrefix}-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString("hex")}`;
  return { ...newRsaPrivateJwk(), kid, alg: "RS256" };
}

function jwks(jwk: PrivateJwk): string {
  const { kty, n, e, kid, alg } = jwk;
  return JSON.stringify({ keys: [{ kty, n, e, kid, alg, use: "sig" }] });
}

/**
 * Loads `path`, creating it (mode 0600) on first run. A restart must reuse the keys: a payment in
 * flight when the stack stopped is still signed for by them when it resumes.
 */
export async function loadOrCreateUpiDevKeys(path: string): Promise<UpiDevKeys> {
  let stored: StoredKeys;
  if (existsSync(path)) {
    stored = JSON.parse(await readFile(path, "utf8")) as StoredKeys;
  } else {
    stored = { switch: rsaJwk("npci"), psp: rsaJwk("gwy") };
    await writeFile(path, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    switchSigningKey: JSON.stringify(stored.switch),
    switchJwks: jwks(stored.switch),
    pspSigningKey: JSON.stringify(stored.psp),
    pspJwks: jwks(stored.psp),
  };
}
