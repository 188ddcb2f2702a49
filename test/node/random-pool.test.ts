import { describe, expect, it } from "vitest";
import { randomBase62 } from "../../common/ids.js";
import { randomBytesFromPool } from "../../common/random-pool.js";

describe("random bytes from the pool", () => {
  it("hands out each byte once: draws across many refills never repeat", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const nonce = randomBytesFromPool(12); // 60 KB in all: about fifteen refills of the 4 KiB block
      expect(nonce).toHaveLength(12);
      seen.add(Buffer.from(nonce).toString("hex"));
    }
    expect(seen.size).toBe(5_000);
  });

  it("returns a copy the caller owns, and serves draws larger than the block", () => {
    const key = randomBytesFromPool(32);
    const copy = Uint8Array.from(key);
    randomBytesFromPool(4_000); // forces a refill, which must not touch bytes already handed out
    expect(key).toEqual(copy);
    expect(randomBytesFromPool(10_000)).toHaveLength(10_000);
  });

  it("keeps ids uniform over base62: every character appears", () => {
    const characters = new Set(Array.from({ length: 200 }, () => randomBase62(24)).join(""));
    expect(characters.size).toBe(62);
  });
});
