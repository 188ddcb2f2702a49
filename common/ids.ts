import { randomBytesFromPool } from "./random-pool.js";

/**
 * Object ids and secrets: a type prefix (Stripe-style, so a log line or support ticket tells what
 * an id is) followed by base62 randomness from the platform CSPRNG. Works in Workers and Node.
 */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `length` base62 characters; rejection sampling keeps every character equally likely. */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    const bytes = randomBytesFromPool(length * 2);
    for (const byte of bytes) {
      // 248 = 62 * 4: bytes at or above it would bias the first characters.
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

export const ID_PREFIXES = {
  merchant: "acct",
  apiKey: "key",
  opsClient: "opc",
  request: "req",
  auditEntry: "aud",
  cardToken: "tok",
  event: "evt",
  webhookEndpoint: "we",
  webhookDelivery: "whd",
  dispute: "dp",
  report: "rpt",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomBase62(24)}`;
}
