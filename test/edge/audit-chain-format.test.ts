import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../common/audit-chain/canonical-json.js";
import {
  type ChainableEntry,
  type ChainLink,
  chainEntries,
  chainKey,
  GENESIS_HASH,
  sealChainObject,
  splitChainObject,
} from "../../common/audit-chain/chain-object.js";
import { ChainVerifier, describeReport, type StoredChainObject } from "../../common/audit-chain/chain-verify.js";
import { leafHash, merkleRoot, nodeHash, toHex } from "../../common/audit-chain/merkle.js";

const hex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));

/** RFC 6962 §2.1.1's reference inputs and tree heads (as Certificate Transparency's tests publish them). */
const CT_INPUTS = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
const CT_ROOTS = [
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/** RFC 6962's MTH written as the RFC writes it (recursive split at the largest power of two). */
async function referenceRoot(leaves: Uint8Array[]): Promise<Uint8Array> {
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(await referenceRoot(leaves.slice(0, k)), await referenceRoot(leaves.slice(k)));
}

function entry(n: number): ChainableEntry & Record<string, unknown> {
  return {
    id: `aud_fmt${String(n).padStart(4, "0")}`,
    at: new Date(Date.UTC(2026, 10, 25, 10, 0, n)).toISOString(),
    action: "webhook_endpoint.updated",
    target_id: `we_${n}`,
    actor: { kind: "api_key", id: "key_x", merchant_id: "acct_y" },
    request_id: `req_${n}`,
    details: { url: "https://shop.example/hooks", n },
  };
}

/** A chain of `sizes.length` objects, object i holding sizes[i] entries. */
async function chainOf(sizes: number[]): Promise<{ objects: StoredChainObject[]; head: ChainLink }> {
  const objects: StoredChainObject[] = [];
  let head: ChainLink = { sequence: 0, hash: GENESIS_HASH };
  let n = 0;
  for (const size of sizes) {
    const entries = Array.from({ length: size }, () => entry(n++));
    const { header, bytes } = await sealChainObject(head, entries, new Date("2026-11-25T10:05:00Z"));
    objects.push({ key: chainKey(header.sequence), bytes });
    head = { sequence: header.sequence, hash: header.hash };
  }
  return { objects, head };
}

async function verify(objects: StoredChainObject[], head: ChainLink | null, start = 1) {
  const verifier = new ChainVerifier(start);
  for (const object of objects) if (!(await verifier.add(object))) break;
  return verifier.finish(head);
}

/** `object` with the byte at `offset` changed to `to`. */
function withByte(object: StoredChainObject, offset: number, to: number): StoredChainObject {
  const bytes = new Uint8Array(object.bytes);
  bytes[offset] = to;
  return { key: object.key, bytes };
}

/** The offset of the first byte of `needle` in the object's bytes (it must be there). */
function offsetOf(object: StoredChainObject, needle: string): number {
  const at = new TextDecoder().decode(object.bytes).indexOf(needle);
  expect(at).toBeGreaterThan(-1);
  // The text before it is ASCII in these tests, so characters are bytes.
  return at;
}

describe("the audit chain's Merkle tree (RFC 6962)", () => {
  it("gives RFC 6962's reference tree heads for every size from 0 to 8", async () => {
    const leaves = await Promise.all(CT_INPUTS.map((input) => leafHash(hex(input))));
    for (let n = 0; n <= leaves.length; n++) expect(toHex(await merkleRoot(leaves.slice(0, n)))).toBe(CT_ROOTS[n]);
  });

  it("promotes an odd node, which is the RFC's recursive split, for every size up to 70", async () => {
    const leaves = await Promise.all(Array.from({ length: 70 }, (_, i) => leafHash(Uint8Array.of(i, i * 3))));
    for (let n = 1; n <= leaves.length; n++) {
      expect(toHex(await merkleRoot(leaves.slice(0, n)))).toBe(toHex(await referenceRoot(leaves.slice(0, n))));
    }
  });

  it("never lets a list and its last leaf duplicated share a root (no CVE-2012-2459)", async () => {
    const leaves = await Promise.all([1, 2, 3].map((i) => leafHash(Uint8Array.of(i))));
    expect(toHex(await merkleRoot(leaves))).not.toBe(toHex(await merkleRoot([...leaves, leaves[2]!])));
  });
});

describe("canonical JSON (RFC 8785)", () => {
  it("sorts members by UTF-16 code units, drops undefined, and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: [true, null, "x"], "\u20ac": 1, "\ud83d\ude00": 2, c: undefined })).toBe(
      '{"a":[true,null,"x"],"b":1,"\u20ac":1,"\ud83d\ude00":2}',
    );
    expect(canonicalJson({ n: 1e21, m: 0.000001, z: -0 })).toBe('{"m":0.000001,"n":1e+21,"z":0}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
  });
});

describe("a chain object", () => {
  it("is JSON with one entry per line, its entries exactly as given, its root over their canonical bytes", async () => {
    const entries = [entry(1), entry(2), entry(3)];
    const { header, bytes } = await sealChainObject({ sequence: 6, hash: "ab".repeat(32) }, entries, new Date());
    const text = new TextDecoder().decode(bytes);
    expect(text.split("\n")).toHaveLength(5);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      sequence: 7,
      previous_hash: "ab".repeat(32),
      entry_count: 3,
      first_entry_at: entries[0]!.at,
      last_entry_at: entries[2]!.at,
      hash: header.hash,
    });
    expect(parsed.entries).toEqual(entries);
    expect(chainEntries(bytes)).toEqual(entries);
    const leaves = await Promise.all(entries.map((e) => leafHash(new TextEncoder().encode(canonicalJson(e)))));
    expect(header.merkle_root).toBe(toHex(await merkleRoot(leaves)));
    expect(chainKey(7)).toBe("audit/chain/000000000007.json");
  });
});

describe("verifying the chain", () => {
  it("passes an intact chain, with its counts", async () => {
    const { objects, head } = await chainOf([3, 1, 4]);
    const report = await verify(objects, head);
    expect(report).toEqual({ ok: true, objects: 3, entries: 8, first_sequence: 1, last_sequence: 3 });
    expect(describeReport(report)).toBe("audit chain OK: 3 objects, 8 entries (objects 1..3)");
  });

  it("names the entry a changed byte is in, whatever the byte (JSON that still parses, or not)", async () => {
    const { objects, head } = await chainOf([3, 5, 2]);
    const target = objects[1]!;
    const offset = offsetOf(target, '"target_id":"we_6"') + '"target_id":"we_'.length;
    for (const to of ["7".charCodeAt(0), '"'.charCodeAt(0), 0x0a, 0xff]) {
      const report = await verify([objects[0]!, withByte(target, offset, to), objects[2]!], head);
      expect(report.ok).toBe(false);
      expect(report.break).toMatchObject({ check: "entry", sequence: 2, entry_index: 3, key: chainKey(2) });
      expect(report.objects).toBe(1);
    }
    const report = await verify([objects[0]!, withByte(target, offset, "7".charCodeAt(0)), objects[2]!], head);
    expect(report.break?.entry_id).toBe("aud_fmt0006");
    expect(describeReport(report)).toMatch(/^audit chain BROKEN at object 2 .*entry 3 \(aud_fmt0006\): entry:/);
  });

  it("catches a changed byte in the header (its hash) and in the separators", async () => {
    const { objects, head } = await chainOf([2, 2]);
    const inRoot = offsetOf(objects[0]!, '"merkle_root":"') + '"merkle_root":"'.length;
    const flipped = objects[0]!.bytes[inRoot] === 0x30 ? 0x31 : 0x30;
    expect((await verify([withByte(objects[0]!, inRoot, flipped), objects[1]!], head)).break).toMatchObject({
      check: "object_hash",
      sequence: 1,
    });
    const comma = offsetOf(objects[1]!, "},\n") + 1;
    expect((await verify([objects[0]!, withByte(objects[1]!, comma, 0x20)], head)).break).toMatchObject({
      check: "entry",
      sequence: 2,
      entry_index: 0,
    });
  });

  it("catches an object rewritten with its hashes recomputed: the next one's link breaks", async () => {
    const { objects, head } = await chainOf([2, 2, 2]);
    const first = splitChainObject(objects[0]!.bytes).header!;
    const forged = await sealChainObject({ sequence: 1, hash: first.hash }, [entry(90)], new Date());
    const report = await verify([objects[0]!, { key: chainKey(2), bytes: forged.bytes }, objects[2]!], head);
    expect(report.break).toMatchObject({ check: "previous_hash", sequence: 3 });
    expect(report.objects).toBe(2);
    const tail = await verify([objects[0]!, objects[1]!, { key: chainKey(3), bytes: objects[0]!.bytes }], head);
    expect(tail.break).toMatchObject({ check: "sequence", sequence: 3 });
  });

  it("catches a missing object, in the middle or at the end (the head says where the chain ends)", async () => {
    const { objects, head } = await chainOf([1, 1, 1, 1]);
    const gap = await verify([objects[0]!, objects[1]!, objects[3]!], head);
    expect(gap.break).toMatchObject({ check: "missing_object", sequence: 3, key: chainKey(3) });
    expect(gap.objects).toBe(2);
    const cut = await verify(objects.slice(0, 3), head);
    expect(cut.break).toMatchObject({ check: "missing_object", sequence: 4 });
    expect((await verify(objects.slice(1), head)).break).toMatchObject({ check: "missing_object", sequence: 1 });
    expect((await verify(objects, { sequence: 4, hash: "00".repeat(32) })).break).toMatchObject({ check: "head" });
  });

  it("starts from an anchor (--from): the anchor's own link is trusted, the next one's to it checked", async () => {
    const { objects, head } = await chainOf([1, 2, 3, 1]);
    expect(await verify(objects.slice(1), head, 2)).toMatchObject({ ok: true, objects: 3, first_sequence: 2 });
    const forged = await sealChainObject({ sequence: 1, hash: "cd".repeat(32) }, [entry(70)], new Date());
    const report = await verify([{ key: chainKey(2), bytes: forged.bytes }, ...objects.slice(2)], head, 2);
    expect(report.break).toMatchObject({ check: "previous_hash", sequence: 3 });
  });

  it("passes an empty chain", async () => {
    expect(await verify([], { sequence: 0, hash: GENESIS_HASH })).toMatchObject({ ok: true, objects: 0 });
  });
});
