import { randomBytesFromPool } from "../../common/random-pool.js";
import { dashboardKey } from "./dashboard-keys.js";

/**
 * TOTP shared secrets at rest, sealed as webhook signing secrets are (webhooks/webhook-secret.ts):
 * they must be readable to compute codes, so they are encrypted, not hashed, with AES-256-GCM
 * under the dashboard's sealing key, the user id as associated data (a ciphertext copied to
 * another user does not open). Stored as `v1.<iv>.<ciphertext>` in base64url.
 */
type SealEnv = { DASHBOARD_SESSION_SECRET: string };

const toB64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
const fromB64Url = (text: string) =>
  Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (char) => char.charCodeAt(0));

async function aesKey(env: SealEnv, usage: "encrypt" | "decrypt"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", await dashboardKey(env, "totp-seal"), "AES-GCM", false, [usage]);
}

export async function sealTotpSecret(env: SealEnv, userId: string, base32Secret: string): Promise<string> {
  const iv = randomBytesFromPool(12);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(userId) },
    await aesKey(env, "encrypt"),
    new TextEncoder().encode(base32Secret),
  );
  return `v1.${toB64Url(iv)}.${toB64Url(new Uint8Array(sealed))}`;
}

export async function openTotpSecret(env: SealEnv, userId: string, stored: string): Promise<string> {
  const [version, iv, ciphertext] = stored.split(".");
  if (version !== "v1" || !iv || !ciphertext) throw new Error("unreadable TOTP secret ciphertext");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromB64Url(iv), additionalData: new TextEncoder().encode(userId) },
    await aesKey(env, "decrypt"),
    fromB64Url(ciphertext),
  );
  return new TextDecoder().decode(plain);
}
