/**
 * For tests in workerd, where node-forge is not at hand: a self-signed X.509 v3 certificate
 * (RFC 5280 §4.1) for a fresh RSA key, built with WebCrypto and a minimal DER encoder (X.690), and
 * a signer that signs as PayPal does. Only the fields a certificate must have; no extensions.
 */
const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

const concat = (parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

function tlv(tag: number, content: Uint8Array): Uint8Array<ArrayBuffer> {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [];
  if (length.length === 0) throw new Error("DER element too long for this encoder");
  return concat([Uint8Array.of(tag, ...length), content]);
}

const sequence = (...items: Uint8Array[]) => tlv(0x30, concat(items));
const set = (...items: Uint8Array[]) => tlv(0x31, concat(items));
const utf8 = (text: string) => tlv(0x0c, new TextEncoder().encode(text));
const utcTime = (date: Date) =>
  tlv(0x17, new TextEncoder().encode(`${date.toISOString().slice(2, 19).replace(/[-:T]/g, "")}Z`));
const bitString = (bytes: Uint8Array) => tlv(0x03, concat([Uint8Array.of(0), bytes]));
const SHA256_WITH_RSA = sequence(
  tlv(0x06, Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b)),
  tlv(0x05, new Uint8Array()),
);
const COMMON_NAME = tlv(0x06, Uint8Array.of(0x55, 0x04, 0x03));

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

export interface TestCertificate {
  pem: string;
  sign(text: string): Promise<string>;
}

/** A 2048-bit RSA key and its self-signed certificate, valid from yesterday for a year. */
export async function testCertificate(commonName = "wallet-simulator.test"): Promise<TestCertificate> {
  const pair = (await crypto.subtle.generateKey(
    { ...ALGORITHM, modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1) },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const spki = new Uint8Array((await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer);
  const name = sequence(set(sequence(COMMON_NAME, utf8(commonName))));
  const from = new Date(Date.now() - 86_400_000);
  const tbs = sequence(
    tlv(0xa0, tlv(0x02, Uint8Array.of(2))),
    tlv(0x02, Uint8Array.of(0x01, ...crypto.getRandomValues(new Uint8Array(8)))),
    SHA256_WITH_RSA,
    name,
    sequence(utcTime(from), utcTime(new Date(from.getTime() + 365 * 86_400_000))),
    name,
    spki,
  );
  const signature = new Uint8Array(await crypto.subtle.sign(ALGORITHM, pair.privateKey, tbs));
  const der = base64(sequence(tbs, SHA256_WITH_RSA, bitString(signature)));
  return {
    pem: `-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g)?.join("\n")}\n-----END CERTIFICATE-----\n`,
    sign: async (text) =>
      base64(new Uint8Array(await crypto.subtle.sign(ALGORITHM, pair.privateKey, new TextEncoder().encode(text)))),
  };
}
