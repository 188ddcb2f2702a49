import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A Stripe-style id: the object's prefix and 24 random base62 characters (`pi_3Mtw...`). */
export function newId(prefix: "pi" | "ch" | "re" | "pm" | "evt" | "req"): string {
  // `byte % 62` favours the first eight characters slightly: harmless for simulated ids.
  const bytes = randomBytes(24);
  let id = "";
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${id}`;
}
