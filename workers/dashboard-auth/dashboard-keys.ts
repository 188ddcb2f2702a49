/**
 * The dashboard's keys, derived from one Worker secret, DASHBOARD_SESSION_SECRET (32 random bytes,
 * base64), with HKDF-SHA256 (RFC 5869 §3.2: one input key, independent outputs by `info`): one
 * HMAC key signs the session cookie, one AES-256-GCM key seals TOTP secrets. Rotating the secret
 * signs everyone out and voids enrolled authenticators, which is what a leaked secret calls for.
 */
type Purpose = "session-cookie" | "totp-seal";

const cache = new Map<string, Promise<Uint8Array>>();

function secretBytes(secret: string): Uint8Array {
  const raw = Uint8Array.from(atob(secret), (char) => char.charCodeAt(0));
  if (raw.length < 32) throw new Error("DASHBOARD_SESSION_SECRET must be at least 32 bytes, base64");
  return raw;
}

async function derive(secret: string, purpose: Purpose): Promise<Uint8Array> {
  const base = await crypto.subtle.importKey("raw", secretBytes(secret), "HKDF", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new Uint8Array(32),
      info: new TextEncoder().encode(`gw-dashboard/${purpose}`),
    },
    base,
    256,
  );
  return new Uint8Array(bits);
}

/** The 32-byte key for `purpose`, derived once per isolate and secret. */
export function dashboardKey(env: { DASHBOARD_SESSION_SECRET: string }, purpose: Purpose): Promise<Uint8Array> {
  const id = `${purpose}:${env.DASHBOARD_SESSION_SECRET}`;
  let key = cache.get(id);
  if (!key) {
    key = derive(env.DASHBOARD_SESSION_SECRET, purpose);
    cache.set(id, key);
    key.catch(() => cache.delete(id));
  }
  return key;
}
