/**
 * The Merkle tree over one chain object's entries, as RFC 6962 §2.1 (Certificate Transparency)
 * defines it, with SHA-256:
 *
 *   leaf  = SHA-256(0x00 || entry bytes)          the entry's canonical JSON, UTF-8 (canonical-json.ts)
 *   node  = SHA-256(0x01 || left || right)
 *   MTH({d0})        = leaf(d0)
 *   MTH(D[0:n]), n>1 = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two < n
 *
 * An odd node at the end of a level is promoted unchanged to the next level, never duplicated:
 * building level by level that way gives exactly RFC 6962's MTH, and it avoids the ambiguity of
 * duplication (Bitcoin's CVE-2012-2459: [a, b, c] and [a, b, c, c] share a root). The distinct
 * leaf and node prefixes keep a leaf from passing for an inner node (second-preimage attacks).
 * The empty tree, which no chain object has, is SHA-256 of nothing (RFC 6962 §2.1).
 */
export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", joined));
}

export function leafHash(entryBytes: Uint8Array): Promise<Uint8Array> {
  return sha256(Uint8Array.of(LEAF_PREFIX), entryBytes);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(Uint8Array.of(NODE_PREFIX), left, right);
}

/** The tree's root from its leaf hashes, in entry order. */
export async function merkleRoot(leaves: readonly Uint8Array[]): Promise<Uint8Array> {
  if (leaves.length === 0) return sha256();
  let level = [...leaves];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(await nodeHash(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
