import { DurableObject } from "cloudflare:workers";

export interface TakeResult {
  allowed: boolean;
  /** Requests left in this object's share of the current window. */
  remaining: number;
  /** When the current window ends (epoch ms). */
  resetAt: number;
}

/**
 * One share of one merchant's rate limit for one endpoint group (see workers/rate-limits/).
 * A fixed window counted in memory: the object runs one call at a time, so the count is exact
 * across every isolate and location that sends it traffic. Nothing is stored: if the object is
 * evicted, its window starts over, which can only admit a little more, never refuse wrongly.
 */
export class RateLimiterObject extends DurableObject<Env> {
  private windowStart = 0;
  private count = 0;

  async take(limit: number, windowMs: number): Promise<TakeResult> {
    const now = Date.now();
    const start = now - (now % windowMs);
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.count = 0;
    }
    const resetAt = start + windowMs;
    if (this.count >= limit) return { allowed: false, remaining: 0, resetAt };
    this.count += 1;
    return { allowed: true, remaining: limit - this.count, resetAt };
  }

  /** What `take` would answer now, without counting: a lockout is checked before the attempt it guards. */
  async peek(limit: number, windowMs: number): Promise<TakeResult> {
    const now = Date.now();
    const start = now - (now % windowMs);
    const count = start === this.windowStart ? this.count : 0;
    return { allowed: count < limit, remaining: Math.max(0, limit - count), resetAt: start + windowMs };
  }
}
