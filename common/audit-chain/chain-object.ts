import { canonicalJson } from "./canonical-json.js";
import { leafHash, merkleRoot, toHex } from "./merkle.js";

/**
 * One object of the audit hash chain in R2 (`audit/chain/<sequence, 12 digits>.json`): a batch of
 * audit entries sealed by its header.
 *
 * - `leaves[i]`   = RFC 6962 leaf hash of entry i's bytes: its canonical JSON (RFC 8785), UTF-8
 *                   (merkle.ts, canonical-json.ts); `merkle_root` = the tree over them.
 * - `hash`        = SHA-256 of the canonical JSON of the header without `hash`: every field below
 *                   but `entries`. The header binds the entries through `leaves` and `merkle_root`,
 *                   and the object before it through `previous_hash` (the first object's is 64
 *                   zeros), so changing any byte of any object breaks its own check or the link
 *                   from the next one, up to the head the chain's Durable Object holds.
 *
 * The stored bytes are JSON laid out one entry per line, so a verifier can name the entry a
 * changed byte is in even when the object no longer parses:
 *
 *   line 0      the canonical header without its closing brace, then `,"entries":[`
 *   line 1..n   entry i's canonical JSON, followed by `,` except on the last one
 *   line n+1    `]}`
 */
export const CHAIN_FORMAT = "gateway-audit-chain/1";
export const CHAIN_PREFIX = "audit/chain/";
export const GENESIS_HASH = "0".repeat(64);
const ENTRIES_OPEN = ',"entries":[';
const CLOSE = "]}";

export interface ChainHeader {
  format: typeof CHAIN_FORMAT;
  sequence: number;
  previous_hash: string;
  merkle_root: string;
  entry_count: number;
  /** The earliest and latest `at` among the entries (ISO 8601). */
  first_entry_at: string;
  last_entry_at: string;
  /** When the chain's Durable Object sealed it (its clock). */
  sealed_at: string;
  leaves: string[];
  hash: string;
}

/** What the chain needs of an entry: an id to deduplicate by, and when it happened. */
export interface ChainableEntry {
  id: string;
  at: string;
}

export interface ChainLink {
  sequence: number;
  hash: string;
}

export function chainKey(sequence: number): string {
  return `${CHAIN_PREFIX}${String(sequence).padStart(12, "0")}.json`;
}

/** The sequence a chain key names, or null for a key of another shape. */
export function sequenceOfKey(key: string): number | null {
  const match = /^audit\/chain\/(\d{12})\.json$/.exec(key);
  return match ? Number(match[1]) : null;
}

export async function headerHash(header: Omit<ChainHeader, "hash">): Promise<string> {
  const { hash: _ignored, ...rest } = header as ChainHeader;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalJson(rest)));
  return toHex(new Uint8Array(digest));
}

/** The object after `previous` holding `entries`, in entry order, and its stored bytes. */
export async function sealChainObject(
  previous: ChainLink,
  entries: readonly ChainableEntry[],
  sealedAt: Date,
): Promise<{ header: ChainHeader; bytes: Uint8Array }> {
  if (entries.length === 0) throw new Error("a chain object holds at least one entry");
  const encoder = new TextEncoder();
  const lines = entries.map((entry) => canonicalJson(entry));
  const leaves = await Promise.all(lines.map((line) => leafHash(encoder.encode(line))));
  const times = entries.map((entry) => entry.at).sort();
  const unsealed: Omit<ChainHeader, "hash"> = {
    format: CHAIN_FORMAT,
    sequence: previous.sequence + 1,
    previous_hash: previous.hash,
    merkle_root: toHex(await merkleRoot(leaves)),
    entry_count: entries.length,
    first_entry_at: times[0]!,
    last_entry_at: times[times.length - 1]!,
    sealed_at: sealedAt.toISOString(),
    leaves: leaves.map(toHex),
  };
  const header: ChainHeader = { ...unsealed, hash: await headerHash(unsealed) };
  const text = [
    `${canonicalJson(header).slice(0, -1)}${ENTRIES_OPEN}`,
    ...lines.map((line, i) => (i < lines.length - 1 ? `${line},` : line)),
    CLOSE,
  ].join("\n");
  return { header, bytes: encoder.encode(text) };
}

/** A stored object cut into its parts, as bytes: nothing here is trusted yet (chain-verify.ts checks). */
export interface ChainObjectParts {
  /** The header line, or null when it is not one (wrong shape, not JSON). */
  header: ChainHeader | null;
  /** The header line's bytes as stored, without the `,"entries":[` that ends it. */
  headerLine: Uint8Array;
  /** Each entry's bytes as stored, without its separator. */
  entryLines: Uint8Array[];
  /** Whether the last line is the closing `]}`. */
  closed: boolean;
}

const NEWLINE = 0x0a;

function splitLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === NEWLINE) {
      lines.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  return lines;
}

function endsWith(bytes: Uint8Array, suffix: Uint8Array): boolean {
  if (bytes.length < suffix.length) return false;
  const tail = bytes.subarray(bytes.length - suffix.length);
  return tail.every((byte, i) => byte === suffix[i]);
}

export function splitChainObject(bytes: Uint8Array): ChainObjectParts {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const lines = splitLines(bytes);
  const first = lines[0] ?? new Uint8Array();
  const open = encoder.encode(ENTRIES_OPEN);
  const headerLine = endsWith(first, open) ? first.subarray(0, first.length - open.length) : first;
  let header: ChainHeader | null = null;
  if (endsWith(first, open)) {
    try {
      const parsed = JSON.parse(`${decoder.decode(headerLine)}}`) as unknown;
      if (isHeader(parsed)) header = parsed;
    } catch {
      header = null;
    }
  }
  const last = lines.length > 1 ? lines[lines.length - 1]! : new Uint8Array();
  const closed = lines.length > 1 && decoder.decode(last) === CLOSE;
  const body = lines.slice(1, closed ? -1 : undefined);
  const comma = encoder.encode(",");
  const entryLines = body.map((line, i) =>
    i < body.length - 1 && endsWith(line, comma) ? line.subarray(0, line.length - 1) : line,
  );
  return { header, headerLine, entryLines, closed };
}

function isHeader(value: unknown): value is ChainHeader {
  if (typeof value !== "object" || value === null) return false;
  const header = value as Record<string, unknown>;
  return (
    header.format === CHAIN_FORMAT &&
    Number.isSafeInteger(header.sequence) &&
    typeof header.previous_hash === "string" &&
    typeof header.merkle_root === "string" &&
    Number.isSafeInteger(header.entry_count) &&
    typeof header.first_entry_at === "string" &&
    typeof header.last_entry_at === "string" &&
    typeof header.sealed_at === "string" &&
    Array.isArray(header.leaves) &&
    header.leaves.every((leaf) => typeof leaf === "string" && /^[0-9a-f]{64}$/.test(leaf)) &&
    typeof header.hash === "string"
  );
}

/** The entries of an object read back (for the chain's own recovery and for tests), unverified. */
export function chainEntries<Entry>(bytes: Uint8Array): Entry[] {
  const decoder = new TextDecoder();
  return splitChainObject(bytes).entryLines.map((line) => JSON.parse(decoder.decode(line)) as Entry);
}
