import { canonicalJson } from "./canonical-json.js";
import {
  type ChainHeader,
  type ChainLink,
  chainKey,
  GENESIS_HASH,
  headerHash,
  sequenceOfKey,
  splitChainObject,
} from "./chain-object.js";
import { leafHash, merkleRoot, toHex } from "./merkle.js";

/** One stored object as read from R2: its key and its bytes, exactly. */
export interface StoredChainObject {
  key: string;
  bytes: Uint8Array;
}

/** What failed first, at which object and, for an entry, which one. */
export interface ChainBreak {
  check:
    | "missing_object" // a sequence with no object (or the chain stops short of its head)
    | "sequence" // an object out of place: its key or header names another sequence
    | "unreadable" // the header line is not a chain header
    | "object_hash" // the header's bytes do not hash to its `hash`, or are not canonical
    | "previous_hash" // `previous_hash` is not the hash of the object before
    | "entry" // an entry's bytes do not hash to its leaf in the header
    | "entry_count" // more or fewer entry lines than the header counts, or no closing line
    | "merkle_root" // the entries' tree does not give `merkle_root`
    | "head"; // the last object is not the head the chain's Durable Object holds
  sequence: number;
  key: string;
  entry_index?: number;
  entry_id?: string | null;
  message: string;
}

export interface ChainReport {
  ok: boolean;
  /** Objects and entries checked (an object with a break is not counted). */
  objects: number;
  entries: number;
  first_sequence: number | null;
  last_sequence: number | null;
  /** The first break, when not ok. */
  break?: ChainBreak;
}

const decoder = new TextDecoder();

/** An entry's id, read from its bytes as well as they still can be (a changed byte may leave them unparseable). */
function entryIdOf(line: Uint8Array): string | null {
  const text = decoder.decode(line);
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    if (typeof id === "string") return id;
  } catch {
    // fall through to the pattern
  }
  return /"id":"([^"\\]{1,100})"/.exec(text)?.[1] ?? null;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * Walks the chain in sequence order and stops at the first break. `start` is the sequence the
 * walk begins at (1, or the predecessor of the first object of a `--from` day, whose own link
 * back is then taken on trust while the next object's link to it is checked); `head` is where
 * the chain's Durable Object says it ends. Reads one object at a time: a chain of any length
 * walks in constant memory.
 */
export class ChainVerifier {
  private expected: number;
  private previous: ChainLink | null;
  private report: ChainReport = { ok: true, objects: 0, entries: 0, first_sequence: null, last_sequence: null };

  constructor(private readonly start = 1) {
    this.expected = start;
    this.previous = start === 1 ? { sequence: 0, hash: GENESIS_HASH } : null;
  }

  get result(): ChainReport {
    return this.report;
  }

  /** Checks the next object; false once the chain has broken (later objects are not looked at). */
  async add(object: StoredChainObject): Promise<boolean> {
    if (!this.report.ok) return false;
    const failure = await this.check(object);
    if (failure) {
      this.report = { ...this.report, ok: false, break: failure };
      return false;
    }
    return true;
  }

  /** Ends the walk: the chain must reach its head (a deleted tail is a break too). */
  finish(head: ChainLink | null): ChainReport {
    if (!this.report.ok || !head || head.sequence < this.start) return this.report;
    const last = this.previous;
    if (!last || last.sequence < head.sequence) {
      const missing = last ? last.sequence + 1 : this.expected;
      this.report = {
        ...this.report,
        ok: false,
        break: {
          check: "missing_object",
          sequence: missing,
          key: chainKey(missing),
          message: `object ${missing} is missing: the chain's head is object ${head.sequence}`,
        },
      };
    } else if (last.sequence === head.sequence && last.hash !== head.hash) {
      this.report = {
        ...this.report,
        ok: false,
        break: {
          check: "head",
          sequence: last.sequence,
          key: chainKey(last.sequence),
          message: `object ${last.sequence} hashes to ${last.hash}, but the chain's head holds ${head.hash}`,
        },
      };
    }
    return this.report;
  }

  private async check(object: StoredChainObject): Promise<ChainBreak | null> {
    const sequence = this.expected;
    const at = (check: ChainBreak["check"], message: string, extra: Partial<ChainBreak> = {}): ChainBreak => ({
      check,
      sequence,
      key: chainKey(sequence),
      message,
      ...extra,
    });
    const keyed = sequenceOfKey(object.key);
    if (keyed !== null && keyed > sequence) {
      return at("missing_object", `object ${sequence} is missing: the next one stored is ${keyed}`);
    }
    if (keyed !== sequence) return at("sequence", `expected object ${sequence}, found '${object.key}'`);

    const parts = splitChainObject(object.bytes);
    const header = parts.header;
    if (!header) return at("unreadable", `object ${sequence}'s first line is not a chain header`);
    if (header.sequence !== sequence) {
      return at("sequence", `object ${sequence}'s header says it is object ${header.sequence}`);
    }
    const canonical = new TextEncoder().encode(canonicalJson(header).slice(0, -1));
    const recomputed = await headerHash(header);
    if (recomputed !== header.hash || !sameBytes(canonical, parts.headerLine)) {
      return at(
        "object_hash",
        recomputed !== header.hash
          ? `object ${sequence}'s header hashes to ${recomputed}, not to its stored hash ${header.hash}`
          : `object ${sequence}'s header bytes are not its canonical serialization`,
      );
    }
    if (this.previous && header.previous_hash !== this.previous.hash) {
      return at(
        "previous_hash",
        `object ${sequence} links to ${header.previous_hash}, but object ${this.previous.sequence} hashes to ${this.previous.hash}`,
      );
    }
    const entryFailure = await this.checkEntries(header, parts.entryLines, parts.closed, at);
    if (entryFailure) return entryFailure;

    this.previous = { sequence, hash: header.hash };
    this.expected = sequence + 1;
    this.report.objects += 1;
    this.report.entries += header.entry_count;
    this.report.first_sequence ??= sequence;
    this.report.last_sequence = sequence;
    return null;
  }

  private async checkEntries(
    header: ChainHeader,
    lines: Uint8Array[],
    closed: boolean,
    at: (check: ChainBreak["check"], message: string, extra?: Partial<ChainBreak>) => ChainBreak,
  ): Promise<ChainBreak | null> {
    const leaves = await Promise.all(lines.map((line) => leafHash(line)));
    // Entry by entry first, so a changed byte is named by the entry it is in.
    for (let i = 0; i < Math.min(leaves.length, header.leaves.length); i++) {
      if (toHex(leaves[i]!) !== header.leaves[i]) {
        const id = entryIdOf(lines[i]!);
        return at("entry", `object ${header.sequence}, entry ${i} (${id ?? "id unreadable"}): its bytes changed`, {
          entry_index: i,
          entry_id: id,
        });
      }
    }
    if (!closed || lines.length !== header.entry_count || header.leaves.length !== header.entry_count) {
      return at(
        "entry_count",
        `object ${header.sequence} counts ${header.entry_count} entries but holds ${lines.length}${closed ? "" : ", unclosed"}`,
      );
    }
    const root = toHex(await merkleRoot(leaves));
    if (root !== header.merkle_root) {
      return at("merkle_root", `object ${header.sequence}'s entries give the root ${root}, not ${header.merkle_root}`);
    }
    return null;
  }
}

/** The report as one line a person reads (`npm run audit:verify`). */
export function describeReport(report: ChainReport): string {
  if (report.ok) {
    const range =
      report.first_sequence === null ? "an empty chain" : `objects ${report.first_sequence}..${report.last_sequence}`;
    return `audit chain OK: ${report.objects} objects, ${report.entries} entries (${range})`;
  }
  const broken = report.break!;
  const entry =
    broken.entry_index === undefined ? "" : `, entry ${broken.entry_index} (${broken.entry_id ?? "id unreadable"})`;
  return `audit chain BROKEN at object ${broken.sequence} (${broken.key})${entry}: ${broken.check}: ${broken.message} (${report.objects} objects, ${report.entries} entries verified before it)`;
}
