import { argon2id } from "@noble/hashes/argon2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { randomBytesFromPool } from "../../common/random-pool.js";
import { timingSafeEqualHex } from "../net/timing-safe.js";

/**
 * Dashboard passwords, hashed with argon2id (RFC 9106) from `@noble/hashes` (audited, pure JS, no
 * dependencies), at OWASP's 2023 first choice: m = 19 MiB, t = 2, p = 1. Why this one: Workers
 * refuse runtime WebAssembly compilation, so `hash-wasm` cannot load there; WebCrypto PBKDF2 is
 * capped at 100,000 iterations on Cloudflare (OWASP asks 600,000 for PBKDF2-SHA256); scrypt at
 * OWASP's parameters measured slower in workerd (200-400 ms) than argon2id, which is also
 * memory-hard. Measured in workerd on this machine: about 175 ms of CPU per hash, so sign-in
 * needs the Workers Standard plan's CPU limit (30 s default), not the free plan's 10 ms.
 * Stored as the PHC string format, which any argon2 library reads.
 */
const PARAMS = { m: 19_456, t: 2, p: 1 } as const;
const HASH_BYTES = 32;
const SALT_BYTES = 16;

const encoder = new TextEncoder();
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/=+$/, "");
const unb64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

function derive(password: string, salt: Uint8Array, params: { m: number; t: number; p: number }, bytes: number) {
  return argon2id(encoder.encode(password), salt, { ...params, dkLen: bytes });
}

/** `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (base64 without padding, as the PHC format says). */
export function hashPassword(password: string): string {
  const salt = randomBytesFromPool(SALT_BYTES);
  const hash = derive(password, salt, PARAMS, HASH_BYTES);
  return `$argon2id$v=19$m=${PARAMS.m},t=${PARAMS.t},p=${PARAMS.p}$${b64(salt)}$${b64(hash)}`;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/**
 * Whether `password` matches the stored PHC string, compared in constant time. The parameters
 * are read from the string, so hashes made under older settings keep verifying.
 */
export function verifyPassword(password: string, stored: string): boolean {
  const match = PHC.exec(stored);
  if (!match) return false;
  const [, m, t, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const expected = unb64(hash);
  const actual = derive(password, unb64(salt), { m: Number(m), t: Number(t), p: Number(p) }, expected.length);
  return timingSafeEqualHex(bytesToHex(actual), bytesToHex(expected));
}

/** A hash at the same parameters, of a password no account has (made once, kept as text). */
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$UtLfcFrYRwGdN0eZ6wF1dw$D7th7AmQrKrmsgdRl1SepDb5KEcdwSR5yHtq6wAot1Y";

/**
 * Spends what checking a real password costs, for an email no user has: the answer takes as long
 * either way, so its timing does not tell which emails have accounts (OWASP ASVS 2.2.x).
 */
export function burnPasswordCheck(password: string): false {
  verifyPassword(password, DUMMY_HASH);
  return false;
}
