/** What a bucket says about one request. */
export interface BucketAnswer {
  allowed: boolean;
  /** Whole requests left right now. */
  remaining: number;
  /** Until the bucket is full again (ms): the IETF draft's `RateLimit-Reset`. */
  fullInMs: number;
  /** Until the next request would be allowed (ms; 0 when one is). */
  nextInMs: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets in this isolate's memory: `limit` requests per `windowMs`, refilled continuously,
 * so a bucket never admits more than `limit` in any window of that length, plus what it refilled.
 * Bounded: past `maxEntries` the least recently used bucket is dropped (it comes back full,
 * which can only admit a little more). No I/O, so it cannot fail: it is what the limits fall back
 * on when their Durable Object does not answer, and what counts strangers before any other work.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxEntries = 10_000) {}

  /** Spends one request from `key`'s bucket if it has one. */
  take(key: string, limit: number, windowMs: number, now = Date.now()): BucketAnswer {
    return this.answer(key, limit, windowMs, now, 1);
  }

  /** Looks at `key`'s bucket without spending: would a request be allowed? */
  peek(key: string, limit: number, windowMs: number, now = Date.now()): BucketAnswer {
    return this.answer(key, limit, windowMs, now, 0);
  }

  /** Gives back a request taken from `key`'s bucket (it turned out not to count). */
  refund(key: string, limit: number): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(limit, bucket.tokens + 1);
  }

  clear(): void {
    this.buckets.clear();
  }

  private answer(key: string, limit: number, windowMs: number, now: number, cost: 0 | 1): BucketAnswer {
    const perMs = limit / windowMs;
    const bucket = this.buckets.get(key);
    const refilled = bucket ? Math.min(limit, bucket.tokens + Math.max(0, now - bucket.at) * perMs) : limit;
    const allowed = refilled >= 1;
    const tokens = allowed ? refilled - cost : refilled;
    if (cost > 0 || bucket) this.store(key, { tokens, at: now });
    return {
      allowed,
      remaining: Math.floor(tokens),
      fullInMs: Math.ceil((limit - tokens) / perMs),
      nextInMs: tokens >= 1 ? 0 : Math.ceil((1 - tokens) / perMs),
    };
  }

  private store(key: string, bucket: Bucket): void {
    this.buckets.delete(key); // re-inserted last: the Map's order is the recency order
    if (this.buckets.size >= this.maxEntries) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
    this.buckets.set(key, bucket);
  }
}
