import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SoftwareKeyProvider } from "./software-key-provider.js";

let dir: string;
let file: string;
const opened: SoftwareKeyProvider[] = [];
const open = async (source: { file: string } | { env: string }) => {
  const provider = await SoftwareKeyProvider.open(source);
  opened.push(provider);
  return provider;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vault-kek-"));
  file = join(dir, "keys", "vault-keks.json");
});
afterEach(async () => {
  for (const provider of opened.splice(0)) await provider.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("software key provider", () => {
  it("creates its key file with mode 0600 and one KEK, v1, on first use", async () => {
    const keys = await open({ file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(keys.currentVersion()).toBe("v1");
    expect(keys.versions()).toEqual(["v1"]);
    const stored = JSON.parse(readFileSync(file, "utf8"));
    expect(Buffer.from(stored.keks.v1.key, "base64")).toHaveLength(32);
  });

  it("wraps a fresh data key with RFC 5649 and unwraps it again, in this process or the next", async () => {
    const keys = await open({ file });
    const { plaintext, wrapped } = await keys.generateDataKey();
    expect(plaintext).toHaveLength(32);
    expect(wrapped.kekVersion).toBe("v1");
    expect(wrapped.wrapped).toHaveLength(40);
    expect(Buffer.from(await keys.unwrapDataKey(wrapped))).toEqual(Buffer.from(plaintext));
    const restarted = await open({ file });
    expect(Buffer.from(await restarted.unwrapDataKey(wrapped))).toEqual(Buffer.from(plaintext));
  });

  it("refuses a wrapped key altered by one bit, or under a version it does not hold", async () => {
    const keys = await open({ file });
    const { wrapped } = await keys.generateDataKey();
    const altered = Buffer.from(wrapped.wrapped);
    altered[5]! ^= 0x01;
    await expect(keys.unwrapDataKey({ ...wrapped, wrapped: altered })).rejects.toThrow(/unwrap failed/);
    await expect(keys.unwrapDataKey({ ...wrapped, kekVersion: "v9" })).rejects.toThrow(/unknown KEK version v9/);
  });

  it("rotates to a new current version, keeping the old one for unwrapping only", async () => {
    const keys = await open({ file });
    const before = await keys.generateDataKey();
    expect(await keys.rotate()).toBe("v2");
    expect(keys.currentVersion()).toBe("v2");
    expect(keys.versions()).toEqual(["v2", "v1"]);
    expect((await keys.generateDataKey()).wrapped.kekVersion).toBe("v2");
    expect((await keys.wrapDataKey(before.plaintext)).kekVersion).toBe("v2");
    expect(Buffer.from(await keys.unwrapDataKey(before.wrapped))).toEqual(Buffer.from(before.plaintext));
    expect(Object.keys(JSON.parse(readFileSync(file, "utf8")).keks)).toEqual(["v1", "v2"]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("picks up a rotation another process made, without a restart", async () => {
    const serving = await open({ file });
    const rotator = await open({ file });
    await rotator.rotate();
    const rewrapped = await rotator.generateDataKey();
    // A row rewrapped under v2 is readable at once; new data keys move to v2 within a second.
    expect(Buffer.from(await serving.unwrapDataKey(rewrapped.wrapped))).toEqual(Buffer.from(rewrapped.plaintext));
    expect(serving.currentVersion()).toBe("v2");
  });

  it("refuses a key file other users can read", async () => {
    await open({ file });
    chmodSync(file, 0o644);
    await expect(SoftwareKeyProvider.open({ file })).rejects.toThrow(/chmod 600/);
  });

  it("takes KEKs from the environment, the highest version current, and leaves rotation to the operator", async () => {
    const v1 = Buffer.alloc(32, 1).toString("base64");
    const v2 = Buffer.alloc(32, 2).toString("base64url");
    const keys = await open({ env: `v2:${v2},v1:${v1}` });
    expect(keys.versions()).toEqual(["v2", "v1"]);
    const { plaintext, wrapped } = await keys.generateDataKey();
    expect(wrapped.kekVersion).toBe("v2");
    const again = await open({ env: `v1:${v1},v2:${v2}` });
    expect(Buffer.from(await again.unwrapDataKey(wrapped))).toEqual(Buffer.from(plaintext));
    await expect(keys.rotate()).rejects.toThrow(/VAULT_KEKS/);
    await expect(SoftwareKeyProvider.open({ env: `v1:${Buffer.alloc(16).toString("base64")}` })).rejects.toThrow(
      /32 bytes/,
    );
  });

  it("overwrites its KEKs when closed", async () => {
    const keys = await SoftwareKeyProvider.open({ file });
    const { wrapped } = await keys.generateDataKey();
    await keys.close();
    expect(keys.versions()).toEqual(["v1"]);
    await expect(keys.unwrapDataKey(wrapped)).rejects.toThrow();
  });
});
