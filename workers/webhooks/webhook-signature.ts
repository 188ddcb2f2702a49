import { signingKeyBytes, toBase64 } from "./webhook-secret.js";

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): `v1,` + base64 of
 * HMAC-SHA256 over `${id}.${timestamp}.${body}`, with the secret's decoded bytes as key. During
 * a secret rotation both secrets sign, space-separated, and a verifier accepts either.
 */
export async function signatureHeader(secrets: string[], id: string, timestamp: number, body: string) {
  const content = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  const signatures = await Promise.all(
    secrets.map(async (secret) => {
      const key = await crypto.subtle.importKey(
        "raw",
        signingKeyBytes(secret),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      );
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, content));
      return `v1,${toBase64(mac)}`;
    }),
  );
  return signatures.join(" ");
}
