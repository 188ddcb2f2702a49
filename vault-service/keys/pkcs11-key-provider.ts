import { createRequire } from "node:module";
import type * as Pkcs11Types from "pkcs11js";
import type { KeyProvider, WrappedDataKey } from "./key-provider.js";
import { Pkcs11DataKeyReserve } from "./pkcs11-data-key-reserve.js";
import { unfitKekReason } from "./pkcs11-kek-check.js";
import { Pkcs11SessionPool } from "./pkcs11-session-pool.js";

export interface Pkcs11Options {
  /** The vendor's PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  library: string;
  tokenLabel: string;
  pin: string;
  /** KEK objects are labelled `<prefix>v1`, `<prefix>v2`, ... on the token. */
  labelPrefix?: string;
  /** Data keys made ahead by a thread of their own (default 256); 0 makes each one on demand. */
  reserveSize?: number;
}

type Pkcs11Module = typeof Pkcs11Types;
type Handle = Buffer;

/** pkcs11js is an optional native dependency: only this provider needs it, and only when chosen. */
function loadPkcs11(): Pkcs11Module {
  const require = createRequire(import.meta.url);
  try {
    return require("pkcs11js") as Pkcs11Module;
  } catch (error) {
    throw new Error(`the pkcs11 key provider needs the pkcs11js package (npm install pkcs11js): ${String(error)}`);
  }
}

/**
 * KEKs generated inside an HSM over PKCS#11 and never extractable (CKA_EXTRACTABLE false,
 * CKA_SENSITIVE true): data keys are wrapped and unwrapped by the HSM with CKM_AES_KEY_WRAP_PAD
 * (RFC 5649). Data keys come from the HSM's RNG. Tested against SoftHSM2; any PKCS#11 2.40
 * HSM works the same way.
 *
 * Wraps and unwraps run as `C_WrapKeyAsync` / `C_UnwrapKeyAsync` on pooled sessions, so the HSM's
 * work happens off the event loop while other cards are parsed and sealed; one session stays for
 * the short synchronous calls (random bytes, finding and creating KEKs).
 */
export class Pkcs11KeyProvider implements KeyProvider {
  readonly name = "pkcs11" as const;
  private readonly pkcs11: Pkcs11Types.PKCS11;
  private readonly session: Handle;
  private readonly sessions: Pkcs11SessionPool;
  private readonly reserve: Pkcs11DataKeyReserve | undefined;
  /** Where data keys came from: the reserve thread, or made inline when it had none ready. */
  readonly dataKeySources = { reserve: 0, inline: 0 };
  private readonly keks = new Map<string, Handle>();
  private readonly labelPrefix: string;
  private scannedAt = 0;

  private constructor(
    private readonly lib: Pkcs11Module,
    options: Pkcs11Options,
  ) {
    this.labelPrefix = options.labelPrefix ?? "gateway-kek-";
    this.pkcs11 = new lib.PKCS11();
    this.pkcs11.load(options.library);
    // Without OS locking, concurrent sessions in one process crash some libraries (SoftHSM).
    this.pkcs11.C_Initialize({ flags: lib.CKF_OS_LOCKING_OK });
    const slot = this.pkcs11
      .C_GetSlotList(true)
      .find((candidate) => this.pkcs11.C_GetTokenInfo(candidate).label.trim() === options.tokenLabel);
    if (!slot) {
      this.pkcs11.C_Finalize();
      throw new Error(`no PKCS#11 token labelled "${options.tokenLabel}"`);
    }
    this.session = this.pkcs11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
    this.pkcs11.C_Login(this.session, lib.CKU_USER, options.pin);
    // Login state belongs to the application, so these sessions are logged in too.
    this.sessions = new Pkcs11SessionPool(this.pkcs11, slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
    const reserveSize = options.reserveSize ?? 256;
    if (reserveSize > 0) {
      const { library, tokenLabel, pin } = options;
      this.reserve = new Pkcs11DataKeyReserve({ library, tokenLabel, pin, labelPrefix: this.labelPrefix }, reserveSize);
    }
  }

  /**
   * Opens the token, finds the KEK versions on it (refusing to start if any object labelled as
   * one is unfit: `pkcs11-kek-check.ts`), and generates v1 on first use.
   */
  static async open(options: Pkcs11Options): Promise<Pkcs11KeyProvider> {
    const provider = new Pkcs11KeyProvider(loadPkcs11(), options);
    try {
      provider.loadKeks();
      if (provider.keks.size === 0) await provider.rotate();
    } catch (error) {
      await provider.close().catch(() => {});
      throw error;
    }
    return provider;
  }

  currentVersion(): string {
    // Another process (`npm run vault:rotate-kek`) may have added a version: look again each second,
    // so new data keys move to it as the software provider's do.
    if (Date.now() - this.scannedAt > 1_000) this.loadKeks();
    const current = this.versions()[0];
    if (!current) throw new Error("no KEK on the token");
    return current;
  }

  versions(): string[] {
    return [...this.keks.keys()].sort((a, b) => Number(b.slice(1)) - Number(a.slice(1)));
  }

  async generateDataKey(): Promise<{ plaintext: Uint8Array; wrapped: WrappedDataKey }> {
    const version = this.currentVersion();
    const reserved = this.reserve?.take(version);
    if (reserved) {
      this.dataKeySources.reserve += 1;
      return { plaintext: reserved.plaintext, wrapped: { kekVersion: version, wrapped: reserved.wrapped } };
    }
    this.dataKeySources.inline += 1;
    const plaintext = new Uint8Array(this.pkcs11.C_GenerateRandom(this.session, Buffer.alloc(32)));
    return { plaintext, wrapped: await this.wrapDataKey(plaintext) };
  }

  async wrapDataKey(plaintext: Uint8Array): Promise<WrappedDataKey> {
    const lib = this.lib;
    const version = this.currentVersion();
    const kek = this.keks.get(version)!;
    return this.sessions.use(async (session) => {
      const value = Buffer.from(plaintext);
      const dataKey = this.pkcs11.C_CreateObject(session, [
        { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
        { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
        { type: lib.CKA_VALUE, value },
        { type: lib.CKA_TOKEN, value: false },
        { type: lib.CKA_EXTRACTABLE, value: true },
      ]);
      value.fill(0);
      try {
        // RFC 5649 output is the key length rounded up to 8, plus 8: 40 bytes for a 256-bit key.
        const mechanism = { mechanism: lib.CKM_AES_KEY_WRAP_PAD };
        const wrapped = this.pkcs11.C_WrapKey(session, mechanism, kek, dataKey, Buffer.alloc(64));
        return { kekVersion: version, wrapped: new Uint8Array(wrapped) };
      } finally {
        this.pkcs11.C_DestroyObject(session, dataKey);
      }
    });
  }

  async unwrapDataKey(wrapped: WrappedDataKey): Promise<Uint8Array> {
    const lib = this.lib;
    // A rotation run by another process may have added a version since we opened the token.
    if (!this.keks.has(wrapped.kekVersion)) this.loadKeks();
    const kek = this.keks.get(wrapped.kekVersion);
    if (!kek) throw new Error(`unknown KEK version ${wrapped.kekVersion}`);
    return this.sessions.use(async (session) => {
      const dataKey = await this.pkcs11.C_UnwrapKeyAsync(
        session,
        { mechanism: lib.CKM_AES_KEY_WRAP_PAD },
        kek,
        Buffer.from(wrapped.wrapped),
        [
          { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
          { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
          { type: lib.CKA_TOKEN, value: false },
          { type: lib.CKA_SENSITIVE, value: false },
          { type: lib.CKA_EXTRACTABLE, value: true },
        ],
      );
      try {
        return this.readValue(session, dataKey);
      } finally {
        this.pkcs11.C_DestroyObject(session, dataKey);
      }
    });
  }

  async rotate(): Promise<string> {
    const lib = this.lib;
    const next = `v${Math.max(0, ...this.versions().map((version) => Number(version.slice(1)))) + 1}`;
    const kek = this.pkcs11.C_GenerateKey(this.session, { mechanism: lib.CKM_AES_KEY_GEN }, [
      { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
      { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
      { type: lib.CKA_VALUE_LEN, value: 32 },
      { type: lib.CKA_LABEL, value: `${this.labelPrefix}${next}` },
      { type: lib.CKA_TOKEN, value: true },
      { type: lib.CKA_PRIVATE, value: true },
      // The KEK never leaves the HSM (PCI DSS 3.6.1): not extractable, not readable.
      { type: lib.CKA_SENSITIVE, value: true },
      { type: lib.CKA_EXTRACTABLE, value: false },
      { type: lib.CKA_WRAP, value: true },
      { type: lib.CKA_UNWRAP, value: true },
      { type: lib.CKA_ENCRYPT, value: false },
      { type: lib.CKA_DECRYPT, value: false },
    ]);
    this.keks.set(next, kek);
    return next;
  }

  /**
   * Retires a KEK no data key is wrapped with any more: destroys it on the token, so neither this
   * process nor any other can use it again (PCI DSS 3.6.1.2 / 3.7.5). The caller (the rotation
   * command) has checked that no row names it. The current version is never retired.
   */
  async retire(version: string): Promise<void> {
    if (version === this.currentVersion()) throw new Error(`KEK ${version} is current: rotate before retiring it`);
    const kek = this.keks.get(version);
    if (!kek) throw new Error(`unknown KEK version ${version}`);
    this.pkcs11.C_DestroyObject(this.session, kek);
    this.keks.delete(version);
  }

  /** The KEK's protection attributes, as the HSM reports them (for tests and audits). */
  kekAttributes(version: string): { extractable: boolean; sensitive: boolean } {
    const lib = this.lib;
    const kek = this.keks.get(version);
    if (!kek) throw new Error(`unknown KEK version ${version}`);
    const [extractable, sensitive] = this.pkcs11.C_GetAttributeValue(this.session, kek, [
      { type: lib.CKA_EXTRACTABLE },
      { type: lib.CKA_SENSITIVE },
    ]);
    return { extractable: extractable?.value?.[0] === 1, sensitive: sensitive?.value?.[0] === 1 };
  }

  async close(): Promise<void> {
    await this.reserve?.close();
    try {
      this.sessions.close();
      this.pkcs11.C_Logout(this.session);
      this.pkcs11.C_CloseSession(this.session);
    } finally {
      this.pkcs11.C_Finalize();
    }
  }

  private readValue(session: Handle, handle: Handle): Uint8Array {
    const [attribute] = this.pkcs11.C_GetAttributeValue(session, handle, [{ type: this.lib.CKA_VALUE }]);
    const value = attribute?.value;
    if (!Buffer.isBuffer(value) || value.length !== 32) throw new Error("the HSM returned no 256-bit data key");
    return new Uint8Array(value);
  }

  /**
   * Rebuilds the loaded set from the token: every token object whose label is one of ours, of
   * whatever class or type, so a planted object is seen rather than skipped. An unfit one, or two
   * objects with one label, refuses the whole set with an error naming the label: nothing is
   * wrapped until an operator has removed it. A KEK retired (destroyed) by another process drops
   * out of the set here.
   */
  private loadKeks(): void {
    const lib = this.lib;
    this.scannedAt = Date.now();
    // KEKs are token objects; the data keys other sessions create and destroy meanwhile are not.
    this.pkcs11.C_FindObjectsInit(this.session, [{ type: lib.CKA_TOKEN, value: true }]);
    const handles: Handle[] = [];
    for (
      let batch = this.pkcs11.C_FindObjects(this.session, 32);
      batch.length > 0;
      batch = this.pkcs11.C_FindObjects(this.session, 32)
    ) {
      handles.push(...batch);
    }
    this.pkcs11.C_FindObjectsFinal(this.session);
    const found = new Map<string, Handle>();
    const ours = new RegExp(`^${this.labelPrefix}(v[1-9]\\d*)$`);
    for (const handle of handles) {
      let label: Pkcs11Types.Attribute | undefined;
      try {
        [label] = this.pkcs11.C_GetAttributeValue(this.session, handle, [{ type: lib.CKA_LABEL }]);
      } catch {
        continue; // destroyed since the search (another process's object): not a KEK of ours
      }
      const text = label?.value?.toString() ?? "";
      const version = ours.exec(text)?.[1];
      if (!version) continue;
      if (found.has(version)) throw new Error(`refusing the KEKs on the token: two objects are labelled "${text}"`);
      const unfit = unfitKekReason(lib, this.pkcs11, this.session, handle);
      if (unfit) throw new Error(`refusing the KEKs on the token: "${text}" is ${unfit}`);
      found.set(version, handle);
    }
    this.keks.clear();
    for (const [version, handle] of found) this.keks.set(version, handle);
  }
}
