import { importX509 } from "jose";

/**
 * PayPal's webhook signature, checked offline (no postback to PayPal): RSASSA-PKCS1-v1_5 with
 * SHA-256 over `<transmission id>|<transmission time>|<webhook id>|<CRC-32 of the raw body, decimal>`,
 * with the public key of the certificate named by the `PAYPAL-CERT-URL` header. The webhook id is
 * the receiver's subscription id, never the event's. Sources: developer.paypal.com/api/webhooks/v1
 * (verify-webhook-signature: the headers and `auth_algo`); the signed string and CRC-32 from
 * secondary sources (stackoverflow q/62870568, hookdeck's PayPal guide), as
 * ../shared/notes/processors.md §2 records. WebCrypto and jose only: it runs in workerd and Node.
 *
 * What this does not do, and the caller must: fetch the certificate only from a trusted origin
 * (PayPal's `api.paypal.com` / `api.sandbox.paypal.com`, or the simulator in development) and
 * cache it, check that `PAYPAL-AUTH-ALGO` is SHA256withRSA, and refuse stale transmission times.
 * A chain beyond the leaf is not validated: the origin check stands in for it.
 */
export const PAYPAL_AUTH_ALGO = "SHA256withRSA";

/** The request headers a PayPal webhook carries (HTTP header names are case-insensitive). */
export const PAYPAL_WEBHOOK_HEADERS = {
  transmissionId: "paypal-transmission-id",
  transmissionTime: "paypal-transmission-time",
  transmissionSig: "paypal-transmission-sig",
  certUrl: "paypal-cert-url",
  authAlgo: "paypal-auth-algo",
} as const;

const CRC32_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as zlib computes it (IEEE 802.3, reflected, polynomial 0xEDB88320), unsigned. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC32_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The string PayPal signs; `body` is the raw request body exactly as received (its UTF-8 bytes are summed). */
export function transmissionString(
  transmissionId: string,
  transmissionTime: string,
  webhookId: string,
  body: string,
): string {
  return `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(new TextEncoder().encode(body))}`;
}

export interface PayPalSignatureInput {
  transmissionId: string;
  transmissionTime: string;
  /** The receiver's webhook (subscription) id, from its own configuration, never from the request. */
  webhookId: string;
  /** The raw body, as received. */
  body: string;
  /** `PAYPAL-TRANSMISSION-SIG`: base64. */
  signature: string;
  /** The PEM served at `PAYPAL-CERT-URL`: the first CERTIFICATE block (the leaf) is used. */
  certificatePem: string;
}

const FIRST_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Whether `signature` is PayPal's over this transmission. Every malformed input (a certificate
 * that does not parse or holds no RSA key, a signature that is not base64) is `false`, never a
 * throw: a forged webhook is an answer, not an error.
 */
export async function verifyPayPalSignature(input: PayPalSignatureInput): Promise<boolean> {
  const pem = FIRST_CERTIFICATE.exec(input.certificatePem)?.[0];
  const signature = input.signature.trim();
  if (!pem || !BASE64.test(signature) || signature.length % 4 !== 0) return false;
  let key: CryptoKey;
  try {
    key = (await importX509(pem, "RS256")) as CryptoKey;
  } catch {
    return false;
  }
  const signed = transmissionString(input.transmissionId, input.transmissionTime, input.webhookId, input.body);
  try {
    return await crypto.subtle.verify(
      "RSASSA-PKCS1-v1_5",
      key,
      Uint8Array.from(atob(signature), (char) => char.charCodeAt(0)),
      new TextEncoder().encode(signed),
    );
  } catch {
    return false;
  }
}
