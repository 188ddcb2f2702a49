/** PCI DSS 3.3.1: never longer than this, whatever the configuration says. */
export const MAX_CVC_TTL_MS = 10 * 60 * 1000;

interface Held {
  cvc: Buffer;
  expiresAt: number;
  merchantId: string;
}

/**
 * Where a card's security code waits for the authorization that needs it. PCI DSS 3.3.1 forbids
 * storing it after authorization, even encrypted, so it is never written anywhere: it lives in
 * this process's memory, keyed by token, for at most `ttlMs` (10 minutes at most), and its bytes
 * are overwritten when it is taken, when it expires, and on shutdown.
 *
 * The consequences are deliberate: a restart loses every held CVC (the authorization then goes
 * without one), and an authorization must run on the vault instance that tokenized the card.
 *
 * Memory is bounded twice, so one merchant's key flooding tokenizations cannot push out the
 * CVCs other merchants' customers are about to pay with (issue 12, item 4): each merchant holds
 * at most `maxPerMerchant` (past it, that merchant's own oldest goes), and when the store as a
 * whole is full the oldest of whichever merchant holds the most goes, never a smaller holder's.
 */
export class CvcStore {
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly maxPerMerchant: number;
  readonly #held = new Map<string, Held>();
  /** Each merchant's tokens in insertion order (a Set keeps it), so its oldest is first. */
  readonly #byMerchant = new Map<string, Set<string>>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: { ttlMs?: number; maxEntries?: number; maxPerMerchant?: number } = {}) {
    this.ttlMs = Math.min(options.ttlMs ?? MAX_CVC_TTL_MS, MAX_CVC_TTL_MS);
    this.maxEntries = options.maxEntries ?? 100_000;
    this.maxPerMerchant = Math.min(options.maxPerMerchant ?? 10_000, this.maxEntries);
    // One sweeper, not a timer per code: entries share one TTL, so insertion order is expiry order.
    this.#sweeper = setInterval(() => this.sweep(), Math.min(this.ttlMs, 5_000));
    this.#sweeper.unref();
  }

  /** Takes ownership of `cvc`, held for `merchantId`: the caller must not keep or reuse the buffer. */
  put(token: string, merchantId: string, cvc: Buffer): void {
    this.#drop(token);
    const own = this.#byMerchant.get(merchantId) ?? new Set<string>();
    if (own.size >= this.maxPerMerchant) this.#dropOldestOf(own);
    else if (this.#held.size >= this.maxEntries) this.#dropOldestOf(this.#largestHolder());
    this.#held.set(token, { cvc, expiresAt: Date.now() + this.ttlMs, merchantId });
    own.add(token);
    this.#byMerchant.set(merchantId, own);
  }

  /** How many CVCs are held for `merchantId`. */
  heldFor(merchantId: string): number {
    return this.#byMerchant.get(merchantId)?.size ?? 0;
  }

  /**
   * The CVC for `token`, once: the stored bytes are wiped and forgotten. The returned copy belongs
   * to the caller, who overwrites it (`fill(0)`) as soon as it is in the authorization request.
   */
  take(token: string): Buffer | undefined {
    const held = this.#held.get(token);
    if (!held) return undefined;
    const copy = held.expiresAt > Date.now() ? Buffer.from(held.cvc) : undefined;
    this.#drop(token);
    return copy;
  }

  /** Whether a live CVC is held for `token` (tells the authorization whether to expect one). */
  has(token: string): boolean {
    const held = this.#held.get(token);
    return held !== undefined && held.expiresAt > Date.now();
  }

  get size(): number {
    return this.#held.size;
  }

  /** Wipes every expired entry; runs on its own timer. */
  sweep(): void {
    const now = Date.now();
    for (const [token, held] of this.#held) {
      if (held.expiresAt > now) break;
      this.#drop(token);
    }
  }

  /** Stops the sweeper and wipes everything held (shutdown). */
  close(): void {
    clearInterval(this.#sweeper);
    for (const token of [...this.#held.keys()]) this.#drop(token);
  }

  #dropOldestOf(tokens: Set<string> | undefined): void {
    const oldest = tokens?.values().next();
    if (oldest && !oldest.done) this.#drop(oldest.value);
  }

  /** Only when the whole store is full: a scan of merchants, not of CVCs. */
  #largestHolder(): Set<string> | undefined {
    let largest: Set<string> | undefined;
    for (const tokens of this.#byMerchant.values()) if (!largest || tokens.size > largest.size) largest = tokens;
    return largest;
  }

  #drop(token: string): void {
    const held = this.#held.get(token);
    if (!held) return;
    held.cvc.fill(0);
    this.#held.delete(token);
    const own = this.#byMerchant.get(held.merchantId);
    own?.delete(token);
    if (own?.size === 0) this.#byMerchant.delete(held.merchantId);
  }
}
