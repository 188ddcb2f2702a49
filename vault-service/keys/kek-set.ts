import { randomBytes } from "node:crypto";

/** AES-256: every KEK and data key is 32 bytes. */
export const KEY_BYTES = 32;

/** The KEKs a software provider holds: version -> key bytes, and which version wraps new data keys. */
export interface KekSet {
  current: string;
  keks: Map<string, Buffer>;
}

const VERSION = /^v([1-9]\d*)$/;

export function versionNumber(version: string): number {
  const match = VERSION.exec(version);
  if (!match) throw new Error(`not a KEK version: ${JSON.stringify(version)} (expected v1, v2, ...)`);
  return Number(match[1]);
}

/** Newest first, so `versions()[0]` is what a fresh rotation superseded last. */
export function sortedVersions(keks: ReadonlyMap<string, unknown>): string[] {
  return [...keks.keys()].sort((a, b) => versionNumber(b) - versionNumber(a));
}

export function nextVersion(keks: ReadonlyMap<string, unknown>): string {
  const newest = sortedVersions(keks)[0];
  return `v${newest === undefined ? 1 : versionNumber(newest) + 1}`;
}

export function newKek(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function decodeKek(version: string, encoded: string): Buffer {
  const key = Buffer.from(encoded, "base64");
  if (key.length !== KEY_BYTES)
    throw new Error(`KEK ${version} must be ${KEY_BYTES} bytes (AES-256), got ${key.length}`);
  return key;
}

/**
 * KEKs injected by the environment: `v1:<base64>,v2:<base64>`. The highest version is current, so
 * adding a key to the list and restarting is the whole rotation on that side; the rewrap command
 * then moves the data keys over.
 */
export function parseEnvKeks(value: string): KekSet {
  const keks = new Map<string, Buffer>();
  for (const entry of value.split(",")) {
    const [version = "", encoded = ""] = entry.trim().split(":");
    versionNumber(version);
    if (keks.has(version)) throw new Error(`VAULT_KEKS lists ${version} twice`);
    keks.set(version, decodeKek(version, encoded));
  }
  const current = sortedVersions(keks)[0];
  if (!current) throw new Error("VAULT_KEKS holds no key");
  return { current, keks };
}

/** Overwrites key bytes before they are dropped (the GC would leave them in freed memory). */
export function wipe(set: KekSet): void {
  for (const key of set.keks.values()) key.fill(0);
  set.keks.clear();
}
