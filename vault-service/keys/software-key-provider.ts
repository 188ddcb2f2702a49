import { stat } from "node:fs/promises";
import { randomBytesFromPool } from "../../common/random-pool.js";
import type { KeySourceConfig } from "../config.js";
import { unwrapKey, wrapKey } from "./aes-key-wrap.js";
import { appendKek, loadOrCreateKekFile, readKekFile, removeKek } from "./kek-file.js";
import { KEY_BYTES, type KekSet, parseEnvKeks, sortedVersions, wipe } from "./kek-set.js";
import type { KeyProvider, WrappedDataKey } from "./key-provider.js";

export type SoftwareKeySource = { file: string } | { env: string };

/** The source the configuration names (it guarantees exactly one of the two). */
export function softwareKeySource(config: KeySourceConfig): SoftwareKeySource {
  return config.VAULT_KEK_FILE !== undefined ? { file: config.VAULT_KEK_FILE } : { env: config.VAULT_KEKS ?? "" };
}

/** How often a file-backed provider looks for a rotation made by another process. */
export const KEK_FILE_RECHECK_MS = 1_000;

/**
 * The zero-setup key provider: AES-256 KEKs in process memory, loaded from a key file (created on
 * first run) or from the environment, wrapping data keys with RFC 5649. Suitable for development
 * and tests; in production the KEK belongs in an HSM (PCI DSS 3.6.1.2), behind the same interface.
 *
 * Rotation runs in a separate process (`npm run vault:rotate-kek`) while this one keeps serving,
 * so a file-backed provider re-reads the file when it changes: at most every second before
 * wrapping (new data keys move to the new KEK within a second), and at once when asked to unwrap
 * under a version it has not seen (a rewrapped row is readable immediately).
 */
export class SoftwareKeyProvider implements KeyProvider {
  readonly name = "software" as const;
  #set: KekSet;
  #fileStamp: string | undefined;
  #checkedAt = 0;

  private constructor(
    private readonly source: SoftwareKeySource,
    set: KekSet,
    fileStamp: string | undefined,
  ) {
    this.#set = set;
    this.#fileStamp = fileStamp;
  }

  static async open(source: SoftwareKeySource): Promise<SoftwareKeyProvider> {
    if ("env" in source) return new SoftwareKeyProvider(source, parseEnvKeks(source.env), undefined);
    const set = await loadOrCreateKekFile(source.file);
    return new SoftwareKeyProvider(source, set, await stampOf(source.file));
  }

  currentVersion(): string {
    return this.#set.current;
  }

  versions(): string[] {
    const current = this.#set.current;
    return [current, ...sortedVersions(this.#set.keks).filter((version) => version !== current)];
  }

  async generateDataKey(): Promise<{ plaintext: Uint8Array; wrapped: WrappedDataKey }> {
    const plaintext = randomBytesFromPool(KEY_BYTES);
    return { plaintext, wrapped: await this.wrapDataKey(plaintext) };
  }

  async wrapDataKey(plaintext: Uint8Array): Promise<WrappedDataKey> {
    if (plaintext.byteLength !== KEY_BYTES) throw new Error(`a data key must be ${KEY_BYTES} bytes`);
    await this.refresh(false);
    const kekVersion = this.#set.current;
    return { kekVersion, wrapped: wrapKey(this.#set.keks.get(kekVersion)!, plaintext) };
  }

  async unwrapDataKey(wrapped: WrappedDataKey): Promise<Uint8Array> {
    if (!this.#set.keks.has(wrapped.kekVersion)) await this.refresh(true);
    const kek = this.#set.keks.get(wrapped.kekVersion);
    if (!kek) throw new Error(`unknown KEK version ${wrapped.kekVersion}`);
    const plaintext = unwrapKey(kek, wrapped.wrapped);
    if (plaintext.length !== KEY_BYTES) {
      plaintext.fill(0);
      throw new Error("data key unwrap failed: unexpected key length");
    }
    return plaintext;
  }

  async rotate(): Promise<string> {
    if ("env" in this.source) {
      throw new Error("KEKs come from VAULT_KEKS: add the next version there, restart, then run the rewrap");
    }
    const { set, version } = await appendKek(this.source.file);
    this.replace(set, await stampOf(this.source.file));
    return version;
  }

  /**
   * Retires a KEK no data key is wrapped with any more by removing it from the key file. With
   * `VAULT_KEKS` the environment is the operator's: drop the version there and restart.
   */
  async retire(version: string): Promise<void> {
    if ("env" in this.source) {
      throw new Error(`KEKs come from VAULT_KEKS: remove ${version} there and restart the vaults to retire it`);
    }
    this.replace(await removeKek(this.source.file, version), await stampOf(this.source.file));
  }

  async close(): Promise<void> {
    wipe(this.#set);
  }

  /** Re-reads the key file if another process replaced it (rotation renames a new file in). */
  private async refresh(force: boolean): Promise<void> {
    if ("env" in this.source) return;
    const now = Date.now();
    if (!force && now - this.#checkedAt < KEK_FILE_RECHECK_MS) return;
    this.#checkedAt = now;
    const stamp = await stampOf(this.source.file);
    if (stamp === this.#fileStamp) return;
    this.replace(await readKekFile(this.source.file), stamp);
  }

  private replace(set: KekSet, stamp: string): void {
    const previous = this.#set;
    this.#set = set;
    this.#fileStamp = stamp;
    wipe(previous);
  }
}

/** Identity of the file's current contents: a rename gives a new inode, an edit a new mtime. */
async function stampOf(path: string): Promise<string> {
  const info = await stat(path);
  return `${info.ino}:${info.mtimeMs}:${info.size}`;
}
