import { randomBytesFromPool } from "../../common/random-pool.js";

/**
 * Webhook signing secrets: `whsec_` + base64 of 32 random bytes (the Standard Webhooks form, so
 * off-the-shelf verifiers take it as is). The secret must be usable to sign, so it is kept
 * encrypted, not hashed: AES-256-GCM under the Worker secret WEBHOOK_SECRETS_KEY (32 bytes,
 * base64), with the endpoint id as associated data so a ciphertext moved to another endpoint
 * does not decrypt. Stored as `v1.<iv>.<ciphertext>` in base64url.
 */
const PREFIX = "whsec_";
export const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const toBase64Url = (bytes: Uint8Array) => toBase64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const fromBase64 = (text: string) =>
  Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (char) => char.charCodeAt(0));

let cached: { source: string; key: Promise<CryptoKey> } | undefined;

function encryptionKey(source: string): Promise<CryptoKey> {
  if (cached?.source !== source) {
    const raw = fromBase64(source);
    if (raw.length !== 32) throw new Error("WEBHOOK_SECRETS_KEY must be 32 bytes, base64");
    cached = { source, key: crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]) };
  }
  return cached.key;
}

export function newWebhookSecret(): string {
  return `${PREFIX}${toBase64(randomBytesFromPool(32))}`;
}

/** The raw HMAC key a `whsec_` secret stands for. */
export function signingKeyBytes(secret: string): Uint8Array {
  return fromBase64(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret);
}

export async function sealWebhookSecret(env: { WEBHOOK_SECRETS_KEY: string }, endpointId: string, secret: string) {
  const iv = randomBytesFromPool(12);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(endpointId) },
    await encryptionKey(env.WEBHOOK_SECRETS_KEY),
    new TextEncoder().encode(secret),
  );
  return `v1.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

export async function openWebhookSecret(env: { WEBHOOK_SECRETS_KEY: string }, endpointId: string, stored: string) {
  const [version, iv, ciphertext] = stored.split(".");
  if (version !== "v1" || !iv || !ciphertext) throw new Error("unreadable webhook secret ciphertext");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(iv), additionalData: new TextEncoder().encode(endpointId) },
    await encryptionKey(env.WEBHOOK_SECRETS_KEY),
    fromBase64(ciphertext),
  );
  return new TextDecoder().decode(plain);
}
