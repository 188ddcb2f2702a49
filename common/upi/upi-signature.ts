import { KID_PATTERN, MAX_UPI_MESSAGE_BYTES } from "./upi-fields.js";

/**
 * Message signing, decided for this project: RSASSA-PKCS1-v1_5 / SHA-256 over the exact UTF-8
 * bytes of the unsigned document, carried in an XML-DSig-shaped <Signature> element inserted as
 * the root's last child. NOT full XML-DSig (which NPCI uses): that needs Exclusive C14N, and no
 * C14N library runs in workerd; here the canonical form is simply the bytes the sender serialised.
 * A verifier cuts the one <Signature> out, checks the rest, and hands back only that rest to be
 * parsed, so no byte outside the signature can change what the message means.
 */
const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const MIN_MODULUS_BITS = 2048;

export interface UpiSigner {
  key: CryptoKey;
  kid: string;
}

function signatureElement(kid: string, value: string): string {
  return `<Signature xmlns="${DSIG_NS}"><SignatureMethod Algorithm="${RSA_SHA256}"/><KeyName>${kid}</KeyName><SignatureValue>${value}</SignatureValue></Signature>`;
}

const escapeRegExp = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** The whole element, exactly as signUpiXml writes it: anything else inside it is refused. */
const SIGNATURE_ELEMENT = new RegExp(
  `^${escapeRegExp(`<Signature xmlns="${DSIG_NS}"><SignatureMethod Algorithm="${RSA_SHA256}"/><KeyName>`)}` +
    "(?<kid>[A-Za-z0-9._:-]{1,128})" +
    escapeRegExp("</KeyName><SignatureValue>") +
    // 2048 to 8192-bit keys: 256 to 1024 signature bytes in base64.
    "(?<value>[A-Za-z0-9+/]{340,1366}={0,2})" +
    `${escapeRegExp("</SignatureValue></Signature>")}$`,
);

type RsaJwk = JsonWebKey & { kid?: unknown };

function parseJwk(json: string, what: string): RsaJwk {
  const jwk = JSON.parse(json) as RsaJwk;
  if (typeof jwk !== "object" || jwk === null || jwk.kty !== "RSA") throw new Error(`${what}: not an RSA JWK`);
  if (typeof jwk.kid !== "string" || !KID_PATTERN.test(jwk.kid)) throw new Error(`${what}: needs a kid`);
  return jwk;
}

async function importRsa(jwk: RsaJwk, usage: "sign" | "verify"): Promise<CryptoKey> {
  // Only the key material: `alg`, `use`, `key_ops` and `ext` from a file must not decide how it is used.
  const { kty, n, e, d, p, q, dp, dq, qi } = jwk;
  const material = usage === "sign" ? { kty, n, e, d, p, q, dp, dq, qi } : { kty, n, e };
  const key = await crypto.subtle.importKey("jwk", material, ALGORITHM, false, [usage]);
  const bits = (key.algorithm as { modulusLength?: number }).modulusLength ?? 0;
  if (bits < MIN_MODULUS_BITS)
    throw new Error(`RSA key ${String(jwk.kid)} has ${bits} bits; ${MIN_MODULUS_BITS} needed`);
  return key;
}

/** A private RSA JWK (JSON, with `kid`), to sign with. */
export async function importUpiSigningKey(jwkJson: string): Promise<UpiSigner> {
  const jwk = parseJwk(jwkJson, "UPI signing key");
  if (typeof jwk.d !== "string") throw new Error("UPI signing key: not a private key");
  return { key: await importRsa(jwk, "sign"), kid: jwk.kid as string };
}

/** A public JWKS (`{"keys":[...]}`), to verify with, by kid (several, for rotation). */
export async function importUpiVerifyKeys(jwksJson: string): Promise<Map<string, CryptoKey>> {
  const { keys } = JSON.parse(jwksJson) as { keys?: unknown };
  if (!Array.isArray(keys) || keys.length === 0) throw new Error("UPI JWKS: no keys");
  const imported = new Map<string, CryptoKey>();
  for (const entry of keys) {
    const jwk = parseJwk(JSON.stringify(entry), "UPI JWKS");
    if (imported.has(jwk.kid as string)) throw new Error(`UPI JWKS: kid ${String(jwk.kid)} twice`);
    imported.set(jwk.kid as string, await importRsa(jwk, "verify"));
  }
  return imported;
}

function toBase64(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)));
}

function fromBase64(value: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(value), (char) => char.charCodeAt(0));
}

/** Where the root's end tag starts: the document must end with one (encodeUpi never self-closes the root). */
function rootEnd(xml: string): number {
  const at = xml.lastIndexOf("</");
  if (at < 0 || !/^<\/[A-Za-z_][\w.:-]*>$/.test(xml.slice(at))) return -1;
  return at;
}

/** `xml` (unsigned, as encodeUpi wrote it) with its signature inserted as the root's last child. */
export async function signUpiXml(xml: string, signer: UpiSigner): Promise<string> {
  const at = rootEnd(xml);
  if (at < 0) throw new Error("cannot sign: the document does not end with its root's end tag");
  if (/<\/?Signature[\s>/]/.test(xml)) throw new Error("cannot sign: the document already holds a Signature");
  const value = await crypto.subtle.sign(ALGORITHM, signer.key, new TextEncoder().encode(xml));
  return xml.slice(0, at) + signatureElement(signer.kid, toBase64(value)) + xml.slice(at);
}

/**
 * The canonical (unsigned) XML when `signed` carries exactly one well-formed signature, by a key
 * in `keys`, that verifies over everything else; otherwise null (never throws on hostile input).
 */
export async function verifyUpiXml(signed: string, keys: Map<string, CryptoKey>): Promise<string | null> {
  try {
    if (typeof signed !== "string" || signed.length > MAX_UPI_MESSAGE_BYTES + 1024) return null;
    const opens = signed.match(/<Signature[\s>/]/g) ?? [];
    const closes = signed.match(/<\/Signature\s*>/g) ?? [];
    if (opens.length !== 1 || closes.length !== 1) return null;
    const start = signed.indexOf("<Signature ");
    const end = signed.indexOf("</Signature>") + "</Signature>".length;
    if (start < 0 || end <= start) return null;
    const found = SIGNATURE_ELEMENT.exec(signed.slice(start, end));
    const key = keys.get(found?.groups?.kid ?? "");
    if (!found?.groups?.value || !key) return null;
    const canonical = signed.slice(0, start) + signed.slice(end);
    // The signature sits where the signer put it: right before the root's end tag.
    if (rootEnd(canonical) !== start) return null;
    const ok = await crypto.subtle.verify(
      ALGORITHM,
      key,
      fromBase64(found.groups.value),
      new TextEncoder().encode(canonical),
    );
    return ok ? canonical : null;
  } catch {
    return null;
  }
}
