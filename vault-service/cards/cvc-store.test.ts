import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CvcStore, MAX_CVC_TTL_MS } from "./cvc-store.js";

const zeroed = (buffer: Buffer) => buffer.every((byte) => byte === 0);

describe("CVC store (PCI DSS 3.3.1)", () => {
  let store: CvcStore;
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    store?.close();
    vi.useRealTimers();
  });

  it("gives a CVC to the first taker only", () => {
    store = new CvcStore();
    store.put("tok_a", "mer_a", Buffer.from("123"));
    expect(store.take("tok_a")?.toString()).toBe("123");
    expect(store.take("tok_a")).toBeUndefined();
    expect(store.has("tok_a")).toBe(false);
    expect(store.take("tok_never")).toBeUndefined();
  });

  it("overwrites the held bytes when the CVC is taken, and hands out a copy", () => {
    store = new CvcStore();
    const held = Buffer.from("4321");
    store.put("tok_a", "mer_a", held);
    const taken = store.take("tok_a")!;
    expect(zeroed(held)).toBe(true);
    expect(taken.toString()).toBe("4321");
  });

  it("forgets and wipes a CVC when its time is up, taken or not", () => {
    store = new CvcStore({ ttlMs: 60_000 });
    const untaken = Buffer.from("111");
    const late = Buffer.from("222");
    store.put("tok_untaken", "mer_a", untaken);
    store.put("tok_late", "mer_a", late);
    vi.advanceTimersByTime(59_999);
    expect(store.has("tok_late")).toBe(true);
    vi.advanceTimersByTime(5_001);
    expect(store.size).toBe(0);
    expect(zeroed(untaken)).toBe(true);
    expect(zeroed(late)).toBe(true);
    expect(store.take("tok_late")).toBeUndefined();
  });

  it("refuses an expired CVC even before the sweeper has run", () => {
    store = new CvcStore({ ttlMs: 10_000 });
    store.put("tok_a", "mer_a", Buffer.from("123"));
    vi.setSystemTime(Date.now() + 10_000);
    expect(store.take("tok_a")).toBeUndefined();
  });

  it("never keeps a CVC longer than 10 minutes, whatever it is configured to", () => {
    store = new CvcStore({ ttlMs: 60 * 60 * 1000 });
    expect(store.ttlMs).toBe(MAX_CVC_TTL_MS);
    const held = Buffer.from("123");
    store.put("tok_a", "mer_a", held);
    vi.advanceTimersByTime(10 * 60 * 1000 + 5_000);
    expect(store.size).toBe(0);
    expect(zeroed(held)).toBe(true);
  });

  it("wipes the CVC it replaces, the oldest one when full, and everything on close", () => {
    store = new CvcStore({ maxEntries: 2 });
    const first = Buffer.from("111");
    const replaced = Buffer.from("222");
    const remaining = Buffer.from("444");
    store.put("tok_1", "mer_a", first);
    store.put("tok_2", "mer_a", replaced);
    store.put("tok_2", "mer_a", Buffer.from("333"));
    expect(zeroed(replaced)).toBe(true);
    store.put("tok_3", "mer_a", remaining);
    expect(zeroed(first)).toBe(true);
    expect(store.has("tok_1")).toBe(false);
    store.close();
    expect(zeroed(remaining)).toBe(true);
    expect(store.size).toBe(0);
  });

  it("holds each merchant's CVCs to its quota, dropping that merchant's own oldest first", () => {
    store = new CvcStore({ maxEntries: 100, maxPerMerchant: 3 });
    const victim = Buffer.from("999");
    store.put("tok_victim", "mer_victim", victim);
    const flood = Array.from({ length: 50 }, (_, i) => Buffer.from(String(100 + i)));
    for (const [i, cvc] of flood.entries()) store.put(`tok_flood_${i}`, "mer_flooder", cvc);
    expect(store.heldFor("mer_flooder")).toBe(3);
    expect(store.has("tok_flood_49")).toBe(true);
    expect(store.has("tok_flood_46")).toBe(false);
    expect(flood.slice(0, 47).every(zeroed)).toBe(true);
    expect(store.take("tok_victim")?.toString()).toBe("999");
  });

  it("when full, takes room from the merchant holding the most, not from a smaller holder", () => {
    store = new CvcStore({ maxEntries: 6, maxPerMerchant: 4 });
    store.put("tok_small", "mer_small", Buffer.from("111"));
    for (let i = 0; i < 4; i++) store.put(`tok_big_${i}`, "mer_big", Buffer.from("222"));
    store.put("tok_mid_0", "mer_mid", Buffer.from("333"));
    store.put("tok_mid_1", "mer_mid", Buffer.from("333"));
    expect(store.size).toBe(6);
    expect(store.has("tok_big_0")).toBe(false);
    expect(store.has("tok_small")).toBe(true);
    expect(store.heldFor("mer_big")).toBe(3);
    expect(store.heldFor("mer_mid")).toBe(2);
  });

  it("forgets a merchant's count as its CVCs are taken or expire", () => {
    store = new CvcStore({ ttlMs: 1_000, maxPerMerchant: 2 });
    store.put("tok_a", "mer_a", Buffer.from("1"));
    store.put("tok_b", "mer_a", Buffer.from("2"));
    store.take("tok_a");
    expect(store.heldFor("mer_a")).toBe(1);
    vi.advanceTimersByTime(6_000);
    expect(store.heldFor("mer_a")).toBe(0);
  });
});
