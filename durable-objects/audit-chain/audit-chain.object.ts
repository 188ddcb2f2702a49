import { DurableObject } from "cloudflare:workers";
import {
  type ChainableEntry,
  type ChainLink,
  chainEntries,
  chainKey,
  headerHash,
  sealChainObject,
  splitChainObject,
} from "../../common/audit-chain/chain-object.js";
import { AuditChainStore } from "./audit-chain-store.js";

/** Entries per object at most: a queue batch is 50 (100 with its request summaries' key uses). */
export const MAX_ENTRIES_PER_OBJECT = 256;

export interface AppendResult {
  /** Objects written by this call (0 when every entry was already chained). */
  objects: number;
  /** Entries chained by this call (redelivered ones are not counted). */
  entries: number;
  head: ChainLink;
}

/**
 * The audit trail's hash chain, one object per environment (`auditChain(env)`): the single writer
 * that keeps the chain one line. Appends run one at a time, each writing object N to
 * AUDIT_BUCKET (`chain-object.ts`) before the head moves to it, so the head never names an object
 * R2 lacks. A write cut short is marked pending first: the next append finds the object in R2
 * and adopts it (it links to the head: nothing is lost or rewritten; a bucket lock forbids
 * overwriting anyway), or finds nothing and writes afresh. Entries the chain already holds are
 * dropped (a redelivered queue batch appends nothing).
 */
export class AuditChainObject extends DurableObject<Env> {
  private readonly store: AuditChainStore;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new AuditChainStore(ctx.storage);
  }

  /**
   * Chains `entries` (in the order given), and when `cardAccessCursor` is given, records that
   * the vault's card access log is chained up to that row.
   */
  async append(entries: ChainableEntry[], cardAccessCursor?: number): Promise<AppendResult> {
    return this.exclusive(async () => {
      await this.recoverPending();
      const seen = this.store.known(entries.map((entry) => entry.id));
      const fresh = entries.filter((entry) => {
        if (seen.has(entry.id)) return false;
        seen.add(entry.id);
        return true;
      });
      let objects = 0;
      for (let i = 0; i < fresh.length; i += MAX_ENTRIES_PER_OBJECT) {
        await this.write(fresh.slice(i, i + MAX_ENTRIES_PER_OBJECT));
        objects += 1;
      }
      if (cardAccessCursor !== undefined) this.store.advanceCardAccessCursor(cardAccessCursor);
      const { sequence, hash } = this.store.head();
      return { objects, entries: fresh.length, head: { sequence, hash } };
    });
  }

  /** The last object's sequence and hash; sequence 0 while the chain is empty. */
  async head(): Promise<ChainLink> {
    const { sequence, hash } = this.store.head();
    return { sequence, hash };
  }

  /** The vault's card access log is chained up to this row id. */
  async cardAccessCursor(): Promise<number> {
    return this.store.head().cardAccessCursor;
  }

  /** The first object sealed on `day` (YYYY-MM-DD) or later, or null. */
  async firstSequenceFrom(day: string): Promise<number | null> {
    return this.store.firstSequenceFrom(day);
  }

  private async write(entries: ChainableEntry[]): Promise<void> {
    const { header, bytes } = await sealChainObject(this.store.head(), entries, new Date());
    this.store.setPending({ sequence: header.sequence, hash: header.hash });
    await this.env.AUDIT_BUCKET.put(chainKey(header.sequence), bytes, {
      httpMetadata: { contentType: "application/json" },
      customMetadata: { sequence: String(header.sequence), hash: header.hash, previous_hash: header.previous_hash },
      // R2 checks the upload against this digest and refuses a body that arrived altered.
      sha256: await crypto.subtle.digest("SHA-256", bytes),
    });
    this.store.advance(
      header,
      entries.map((entry) => entry.id),
      Date.now(),
    );
  }

  /** A write cut short: adopt the object if R2 has it and it follows the head, else forget it. */
  private async recoverPending(): Promise<void> {
    const pending = this.store.pending();
    if (!pending) return;
    const head = this.store.head();
    const stored = await this.env.AUDIT_BUCKET.get(chainKey(pending.sequence));
    if (!stored) {
      this.store.clearPending();
      return;
    }
    const bytes = new Uint8Array(await stored.arrayBuffer());
    const { header } = splitChainObject(bytes);
    const follows =
      header !== null &&
      header.sequence === head.sequence + 1 &&
      header.previous_hash === head.hash &&
      (await headerHash(header)) === header.hash;
    if (!follows) {
      // Never written over: whoever put it there, ops must look (the chain stops until they do).
      throw new Error(`audit chain: object ${pending.sequence} in R2 does not follow the head ${head.sequence}`);
    }
    this.store.advance(
      header,
      chainEntries<ChainableEntry>(bytes).map((entry) => entry.id),
      Date.now(),
    );
  }

  /** Runs `run` when no other append is running (R2 writes yield to other calls otherwise). */
  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const next = this.lock.then(run, run);
    this.lock = next.catch(() => {});
    return next;
  }
}
