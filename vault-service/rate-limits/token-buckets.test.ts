import { describe, expect, it } from "vitest";
import { TokenBuckets } from "./token-buckets.js";

describe("token buckets", () => {
  it("allows a burst, then the sustained rate, and says when to come back", () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 2, burst: 4 }, 10, () => now);
    for (let i = 0; i < 4; i++) expect(buckets.take("pk_a").allowed).toBe(true);
    expect(buckets.take("pk_a")).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(buckets.take("pk_b").allowed).toBe(true);
    now = 500;
    expect(buckets.take("pk_a").allowed).toBe(true);
    expect(buckets.take("pk_a").allowed).toBe(false);
  });

  it("stays bounded under a flood of distinct keys, sharing one bucket rather than going unlimited", () => {
    const now = 0;
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, 3, () => now);
    for (const key of ["a", "b", "c"]) expect(buckets.take(key).allowed).toBe(true);
    expect(buckets.take("d").allowed).toBe(true); // the overflow bucket's one token
    expect(buckets.take("e").allowed).toBe(false);
    expect(buckets.size).toBeLessThanOrEqual(4);
  });

  it("forgets buckets that have refilled when it needs room", () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, 2, () => now);
    buckets.take("a");
    buckets.take("b");
    now = 5_000;
    expect(buckets.take("c").allowed).toBe(true);
    expect(buckets.take("d").allowed).toBe(true);
  });
});
