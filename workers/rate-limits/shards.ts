/**
 * How many limiter objects share one merchant's group. A Durable Object runs one request at a
 * time; a simple one like the limiter sustains on the order of 1,000 calls/s, so we plan for 500
 * per object (half, for headroom) and split a group's limit across `ceil(rate / 500)` objects
 * (at most 32). Each request picks an object at random and that object enforces its share, so
 * the shares add up to the limit exactly. A merchant allowed 100/s uses one object, 2,000/s four,
 * 16,000/s thirty-two. With several objects the limit can bind slightly early when requests fall
 * unevenly (a share runs out while another has room): at n requests per window over k objects the
 * spread is about sqrt(n / k) per object, a few percent at the rates that need sharding.
 */
export const CALLS_PER_OBJECT = 500;
export const MAX_SHARDS = 32;

export function shardCount(limit: number, windowSeconds: number, callsPerObject = CALLS_PER_OBJECT): number {
  return Math.min(MAX_SHARDS, Math.max(1, Math.ceil(limit / windowSeconds / callsPerObject)));
}

/**
 * The planning figure from `RATE_LIMIT_CALLS_PER_OBJECT` (default 500): ops lower it if limiter
 * objects run hot in production, and tests lower it to split small limits over several objects.
 */
export function callsPerObject(env: { RATE_LIMIT_CALLS_PER_OBJECT?: string }): number {
  const value = Number(env.RATE_LIMIT_CALLS_PER_OBJECT);
  return Number.isInteger(value) && value > 0 ? value : CALLS_PER_OBJECT;
}

/** Shard `index`'s part of `limit`: equal parts, the remainder spread over the first shards. */
export function shardLimit(limit: number, shards: number, index: number): number {
  return Math.floor(limit / shards) + (index < limit % shards ? 1 : 0);
}
