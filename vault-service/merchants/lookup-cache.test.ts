import { describe, expect, it } from "vitest";
import { LookupCache } from "./lookup-cache.js";

describe("the lookup cache", () => {
  it("answers from memory within its time to live, null answers included, and looks up again after", async () => {
    let clock = 0;
    const lookups: string[] = [];
    const cache = new LookupCache(
      async (key) => {
        lookups.push(key);
        return key === "known" ? ["https://shop.example"] : null;
      },
      30_000,
      10,
      () => clock,
    );
    expect(await cache.get("known")).toEqual(["https://shop.example"]);
    expect(await cache.get("unknown")).toBeNull();
    for (let i = 0; i < 100; i++) await Promise.all([cache.get("known"), cache.get("unknown")]);
    expect(lookups).toEqual(["known", "unknown"]);
    clock = 30_001;
    await cache.get("known");
    expect(lookups).toEqual(["known", "unknown", "known"]);
  });

  it("shares one lookup among callers of the same key while it is in flight", async () => {
    let release: (value: string) => void = () => {};
    let lookups = 0;
    const cache = new LookupCache(() => {
      lookups += 1;
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    }, 1_000);
    const waiting = Promise.all([cache.get("k"), cache.get("k"), cache.get("k")]);
    release("v");
    expect(await waiting).toEqual(["v", "v", "v"]);
    expect(lookups).toBe(1);
  });

  it("keeps no more than its bound, dropping the oldest, and forgets a failed lookup", async () => {
    let fail = true;
    let lookups = 0;
    const cache = new LookupCache(
      async (key) => {
        lookups += 1;
        if (fail) throw new Error("database unreachable");
        return key;
      },
      60_000,
      3,
    );
    await expect(cache.get("a")).rejects.toThrow(/unreachable/);
    expect(cache.size).toBe(0);
    fail = false;
    expect(await cache.get("a")).toBe("a");
    expect(lookups).toBe(2);
    for (const key of ["b", "c", "d", "e"]) await cache.get(key);
    expect(cache.size).toBe(3);
  });
});
