/**
 * A report's download link (issue 16 item 4): short-lived and signed, so it works in a browser or
 * a plain `curl` without the secret key, and only until it expires. The signature is HMAC-SHA256
 * over `<report id>.<expiry>` with a key derived (HKDF-SHA256, RFC 5869) from the API key pepper
 * for this one use, so no other credential can be turned into a link, nor a link into anything else.
 */
export const LINK_LIFETIME_SECONDS = 300;

const encoder = new TextEncoder();

async function linkKey(pepper: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(pepper), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode("gateway report download link v1") },
    material,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign", "verify"],
  );
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

export async function signReportLink(pepper: string, reportId: string, now = Date.now()) {
  const expires = Math.floor(now / 1000) + LINK_LIFETIME_SECONDS;
  const signature = hex(
    await crypto.subtle.sign("HMAC", await linkKey(pepper), encoder.encode(`${reportId}.${expires}`)),
  );
  return { url: `/v1/reports/${reportId}/download?expires=${expires}&signature=${signature}`, expires };
}

/** Whether a link is the gateway's and still valid (constant-time comparison, by `verify`). */
export async function verifyReportLink(
  pepper: string,
  reportId: string,
  expires: string,
  signature: string,
  now = Date.now(),
): Promise<boolean> {
  if (!/^\d{1,12}$/.test(expires) || !/^[0-9a-f]{64}$/.test(signature)) return false;
  if (Number(expires) * 1000 < now) return false;
  const bytes = new Uint8Array(signature.match(/../g)!.map((pair) => Number.parseInt(pair, 16)));
  return crypto.subtle.verify("HMAC", await linkKey(pepper), bytes, encoder.encode(`${reportId}.${expires}`));
}
