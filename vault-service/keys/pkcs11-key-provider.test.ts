import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSoftHsmToken,
  SOFTHSM_INSTALL,
  type SoftHsmToken,
  softHsmAvailable,
} from "../../test/support/softhsm.js";
import { Pkcs11KeyProvider } from "./pkcs11-key-provider.js";

const available = softHsmAvailable();
if (!available)
  console.warn(`\n!!! SoftHSM2 is not installed: the PKCS#11 tests are SKIPPED. Install it with: ${SOFTHSM_INSTALL}\n`);

describe.skipIf(!available)("PKCS#11 key provider (SoftHSM2)", () => {
  let token: SoftHsmToken;
  let provider: Pkcs11KeyProvider;

  beforeAll(async () => {
    token = createSoftHsmToken();
    provider = await Pkcs11KeyProvider.open(token);
  });

  afterAll(async () => {
    await provider?.close();
    token?.cleanup();
  });

  it("generates a KEK on the token that cannot be extracted or read", () => {
    expect(provider.versions()).toEqual(["v1"]);
    expect(provider.kekAttributes("v1")).toEqual({ extractable: false, sensitive: true });
  });

  it("wraps data keys with CKM_AES_KEY_WRAP_PAD and unwraps them back", async () => {
    const { plaintext, wrapped } = await provider.generateDataKey();
    expect(plaintext).toHaveLength(32);
    expect(wrapped.kekVersion).toBe("v1");
    expect(wrapped.wrapped).toHaveLength(40); // RFC 5649: 32-byte key + 8-byte integrity block
    expect(Buffer.from(wrapped.wrapped).includes(Buffer.from(plaintext))).toBe(false);
    expect(Buffer.from(await provider.unwrapDataKey(wrapped))).toEqual(Buffer.from(plaintext));
    const tampered = Uint8Array.from(wrapped.wrapped);
    tampered[5] = (tampered[5] ?? 0) ^ 1;
    await expect(provider.unwrapDataKey({ ...wrapped, wrapped: tampered })).rejects.toThrow();
  });

  it("rotates: new keys use the new version, old wrappings still unwrap, and rewrapping moves them", async () => {
    const old = await provider.generateDataKey();
    expect(await provider.rotate()).toBe("v2");
    expect(provider.currentVersion()).toBe("v2");
    const fresh = await provider.generateDataKey();
    expect(fresh.wrapped.kekVersion).toBe("v2");
    expect(Buffer.from(await provider.unwrapDataKey(old.wrapped))).toEqual(Buffer.from(old.plaintext));
    const rewrapped = await provider.wrapDataKey(await provider.unwrapDataKey(old.wrapped));
    expect(rewrapped.kekVersion).toBe("v2");
    expect(Buffer.from(await provider.unwrapDataKey(rewrapped))).toEqual(Buffer.from(old.plaintext));
  });

  it("makes data keys ahead in a thread of its own: each one fresh, each under the current KEK", async () => {
    await provider.generateDataKey(); // the first call asks the thread for a batch
    await expect
      .poll(async () => {
        await provider.generateDataKey();
        return provider.dataKeySources.reserve;
      })
      .toBeGreaterThan(0);
    const before = { ...provider.dataKeySources };
    const keys = [];
    for (let i = 0; i < 100; i++) keys.push(await provider.generateDataKey());
    expect(provider.dataKeySources.reserve - before.reserve).toBeGreaterThan(50);
    expect(new Set(keys.map((key) => Buffer.from(key.plaintext).toString("hex"))).size).toBe(100);
    for (const key of keys) {
      expect(key.wrapped.kekVersion).toBe(provider.currentVersion());
      expect(Buffer.from(await provider.unwrapDataKey(key.wrapped))).toEqual(Buffer.from(key.plaintext));
    }
    // After a rotation, keys the thread made under the old KEK are dropped, never handed out.
    const next = await provider.rotate();
    for (let i = 0; i < 20; i++) expect((await provider.generateDataKey()).wrapped.kekVersion).toBe(next);
  });

  it("finds its KEK versions again after a restart", async () => {
    const key = randomBytes(32);
    const wrapped = await provider.wrapDataKey(key);
    await provider.close();
    provider = await Pkcs11KeyProvider.open(token);
    expect(provider.versions()).toEqual(["v3", "v2", "v1"]);
    expect(Buffer.from(await provider.unwrapDataKey(wrapped))).toEqual(key);
  });
});
