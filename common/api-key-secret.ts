/**
 * API key and client-secret material, shared by the edge (verification) and the Node scripts
 * that seed the demo merchant. A key is `sk_test_` / `sk_live_` / `pk_test_` / `pk_live_` and 32
 * base62 characters (190 bits). Only HMAC-SHA256(pepper, key) is ever stored.
 */
import { randomBase62 } from "./ids.js";

export type ApiKeyType = "secret" | "publishable";

const KEY_PATTERN = /^(sk|pk)_(test|live)_([0-9A-Za-z]{32})$/;

export interface ParsedApiKey {
  type: ApiKeyType;
  livemode: boolean;
}

export function generateApiKey(type: ApiKeyType, livemode: boolean): string {
  return `${type === "secret" ? "sk" : "pk"}_${livemode ? "live" : "test"}_${randomBase62(32)}`;
}

/** Shape check only: says nothing about whether the key exists. */
export function parseApiKey(candidate: string): ParsedApiKey | null {
  const match = KEY_PATTERN.exec(candidate);
  if (!match) return null;
  return { type: match[1] === "sk" ? "secret" : "publishable", livemode: match[2] === "live" };
}

export function generateClientSecret(): string {
  return `ocs_${randomBase62(40)}`;
}

const encoder = new TextEncoder();

/** The imported HMAC key per pepper: importing it on every request costs more than the HMAC. */
const peppers = new Map<string, Promise<CryptoKey>>();

function pepperKey(pepper: string): Promise<CryptoKey> {
  let key = peppers.get(pepper);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(pepper), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    peppers.set(pepper, key);
  }
  return key;
}

/** Keyed hash of a credential. The pepper lives in the Worker's secrets, never in Postgres. */
export async function hashCredential(pepper: string, credential: string): Promise<string> {
  const key = await pepperKey(pepper);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(credential)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function lastFour(credential: string): string {
  return credential.slice(-4);
}
