import { linkSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { decodeKek, type KekSet, newKek, nextVersion, sortedVersions, versionNumber } from "./kek-set.js";

const FORMAT = "gateway-vault-keks/1";

interface KekFile {
  format: typeof FORMAT;
  current: string;
  keks: Record<string, { key: string; created_at: string }>;
}

/**
 * The software provider's key file: the zero-setup KEK store for development and `npm start`
 * (`.data/vault-keks.json`). Production keeps KEKs in an HSM instead; a KEK in a file is only as
 * safe as the file's permissions, so the file is created 0600 and refused when it is not
 * (PCI DSS 3.6.1: keys stored securely, in the fewest places, readable by the fewest people).
 */
export async function loadOrCreateKekFile(path: string): Promise<KekSet> {
  try {
    return await readKekFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const created = serialize({ current: "v1", keks: new Map([["v1", newKek()]]) }, new Map());
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, created, { mode: 0o600 });
  try {
    // link() fails if the file exists: two processes starting at once agree on one v1.
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(temporary);
  }
  return readKekFile(path);
}

export async function readKekFile(path: string): Promise<KekSet> {
  return (await read(path)).set;
}

async function read(path: string): Promise<{ set: KekSet; createdAt: Map<string, string> }> {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(`KEK file ${path} is accessible to other users (mode ${mode.toString(8)}); chmod 600 it`);
  }
  const file = JSON.parse(await readFile(path, "utf8")) as KekFile;
  if (file.format !== FORMAT) throw new Error(`KEK file ${path} is not in format ${FORMAT}`);
  const keks = new Map<string, Buffer>();
  const createdAt = new Map<string, string>();
  for (const [version, entry] of Object.entries(file.keks)) {
    versionNumber(version);
    keks.set(version, decodeKek(version, entry.key));
    createdAt.set(version, entry.created_at);
  }
  if (!keks.has(file.current)) throw new Error(`KEK file ${path}: current version ${file.current} is missing`);
  return { set: { current: file.current, keks }, createdAt };
}

/**
 * Adds a fresh KEK as the next version and makes it current. The file is replaced atomically
 * (write then rename), so a vault reading it concurrently sees the old set or the new one, never
 * half a file. Callers serialize rotations (the rotation command holds a database lock).
 */
export async function appendKek(path: string): Promise<{ set: KekSet; version: string }> {
  const { set, createdAt } = await read(path);
  const version = nextVersion(set.keks);
  set.keks.set(version, newKek());
  set.current = version;
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, serialize(set, createdAt), { mode: 0o600 });
  renameSync(temporary, path);
  return { set, version };
}

/**
 * Removes a retired KEK from the file (same atomic replace), wiping its bytes from memory; the
 * current version is never removed. Serving vaults drop it at their next re-read.
 */
export async function removeKek(path: string, version: string): Promise<KekSet> {
  const { set, createdAt } = await read(path);
  if (version === set.current) throw new Error(`KEK ${version} is current: rotate before retiring it`);
  const key = set.keks.get(version);
  if (!key) throw new Error(`unknown KEK version ${version}`);
  key.fill(0);
  set.keks.delete(version);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, serialize(set, createdAt), { mode: 0o600 });
  renameSync(temporary, path);
  return set;
}

function serialize(set: KekSet, createdAt: ReadonlyMap<string, string>): string {
  const keks: KekFile["keks"] = {};
  for (const version of sortedVersions(set.keks).reverse()) {
    keks[version] = {
      key: set.keks.get(version)!.toString("base64"),
      created_at: createdAt.get(version) ?? new Date().toISOString(),
    };
  }
  const file: KekFile = { format: FORMAT, current: set.current, keks };
  return `${JSON.stringify(file, null, 2)}\n`;
}
