/** PCI DSS 3.3.1: never longer than this, whatever the configuration says. */
export const MAX_CVC_TTL_MS = 10 * 60 * 1000;

interface Held {
  cvc: Buffer;
  expiresAt: number;
}

/**
 * Where a card's security code waits for the authorization that needs it. PCI DSS 3.3.1 forbids
 * storing it after authorization, even encrypted, so it is never written anywhere: it lives in
 * this process's memory, keyed by token, for at most `ttlMs` (10 minutes at most), and its bytes
 * are overwritten when it is taken, when it expires, and on shutdown.
 *
 * The consequences are deliberate: a restart loses every held CVC (the authorization then goes
 * without one), and an authorization must run on the vault instance that tokenized the card.
 */
export class CvcStore {
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly #held = new Map<string, Held>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: { ttlMs?: number; maxEntries?: number } = {}) {
    this.ttlMs = Math.min(options.ttlMs ?? MAX_CVC_TTL_MS, MAX_CVC_TTL_MS);
    this.maxEntries = options.maxEntries ?? 100_000;
    // One sweeper, not a timer per code: entries share one TTL, so insertion order is expiry order.
    this.#sweeper = setInterval(() => this.sweep(), Math.min(this.ttlMs, 5_000));
    this.#sweeper.unref();
  }

  /** Takes ownership of `cvc`: the caller must not keep or reuse the buffer. */
  put(token: string, cvc: Buffer): void {
    this.#drop(token);
    if (this.#held.size >= this.maxEntries) {
      const oldest = this.#held.keys().next();
      if (!oldest.done) this.#drop(oldest.value);
    }
    this.#held.set(token, { cvc, expiresAt: Date.now() + this.ttlMs });
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

  #drop(token: string): void {
    const held = this.#held.get(token);
    if (!held) return;
    held.cvc.fill(0);
    this.#held.delete(token);
  }
}
