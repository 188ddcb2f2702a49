/** A bucket's refill rate and capacity. */
export interface BucketRate {
  /** Tokens added per second: the sustained rate allowed. */
  perSecond: number;
  /** The bucket's capacity: the burst allowed after a quiet spell. */
  burst: number;
}

/** Whether one request may go, and if not, in how many whole seconds one will (`Retry-After`). */
export type BucketAnswer = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Where every key goes once the map is full of busy buckets: they share one, never go unlimited. */
const OVERFLOW = "\u0000overflow";

/**
 * Token buckets keyed by a string (a publishable key's id, a client address), in this process's
 * memory. Right for one vault process; a fleet behind a load balancer divides each limit by its
 * size at best, so it needs a shared counter (Postgres or a shared store, as the edge's limiter
 * object is) or sticky routing by key. A bucket back at full capacity holds nothing a fresh one
 * would not, so such buckets are dropped when the map grows; if it is still full (a flood of
 * distinct keys), new keys share one overflow bucket: memory stays bounded and the limit fails
 * closed, never open.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    readonly rate: BucketRate,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token from `key`'s bucket if it has one. */
  take(key: string): BucketAnswer {
    const now = this.now();
    const bucket = this.#bucketFor(key, now);
    bucket.tokens = Math.min(this.rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate.perSecond);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate.perSecond)) };
  }

  get size(): number {
    return this.#buckets.size;
  }

  #bucketFor(key: string, now: number): Bucket {
    const found = this.#buckets.get(key);
    if (found) return found;
    if (this.#buckets.size >= this.maxKeys) this.#dropFull(now);
    const name = this.#buckets.size >= this.maxKeys ? OVERFLOW : key;
    const bucket = this.#buckets.get(name) ?? { tokens: this.rate.burst, at: now };
    this.#buckets.set(name, bucket);
    return bucket;
  }

  #dropFull(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.rate.perSecond >= this.rate.burst)
        this.#buckets.delete(key);
    }
  }
}
