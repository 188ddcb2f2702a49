import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Envelope, open, seal } from "./envelope.js";
import { SoftwareKeyProvider } from "./software-key-provider.js";

let dir: string;
let keys: SoftwareKeyProvider;
const aad = Buffer.from("bound-to-this");
const plaintext = () => Buffer.from("the secret record");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vault-envelope-"));
  keys = await SoftwareKeyProvider.open({ file: join(dir, "keks.json") });
});
afterAll(async () => {
  await keys.close();
  rmSync(dir, { recursive: true, force: true });
});

const altered = (envelope: Envelope, field: "ciphertext" | "iv" | "tag" | "wrappedDek"): Envelope => {
  const copy = Buffer.from(envelope[field]);
  copy[0]! ^= 0x80;
  return { ...envelope, [field]: copy };
};

describe("envelope encryption", () => {
  it("opens what it sealed, with a 96-bit IV, a 128-bit tag and a wrapped data key", async () => {
    const envelope = await seal(keys, plaintext(), aad);
    expect(envelope.iv).toHaveLength(12);
    expect(envelope.tag).toHaveLength(16);
    expect(envelope.kekVersion).toBe("v1");
    expect(envelope.ciphertext.includes(plaintext())).toBe(false);
    expect((await open(keys, envelope, aad)).toString()).toBe("the secret record");
  });

  it("uses a new data key and IV for every record", async () => {
    const [a, b] = [await seal(keys, plaintext(), aad), await seal(keys, plaintext(), aad)];
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.wrappedDek.equals(b.wrappedDek)).toBe(false);
  });

  it("refuses to open under different associated data", async () => {
    const envelope = await seal(keys, plaintext(), aad);
    await expect(open(keys, envelope, Buffer.from("bound-to-that"))).rejects.toThrow(/authentication failed/);
  });

  it("refuses a record whose ciphertext, IV, tag or wrapped key was altered", async () => {
    const envelope = await seal(keys, plaintext(), aad);
    await expect(open(keys, altered(envelope, "ciphertext"), aad)).rejects.toThrow(/authentication failed/);
    await expect(open(keys, altered(envelope, "iv"), aad)).rejects.toThrow(/authentication failed/);
    await expect(open(keys, altered(envelope, "tag"), aad)).rejects.toThrow(/authentication failed/);
    await expect(open(keys, altered(envelope, "wrappedDek"), aad)).rejects.toThrow(/unwrap failed/);
  });
});
