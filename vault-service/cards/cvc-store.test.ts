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
    store.put("tok_a", Buffer.from("123"));
    expect(store.take("tok_a")?.toString()).toBe("123");
    expect(store.take("tok_a")).toBeUndefined();
    expect(store.has("tok_a")).toBe(false);
    expect(store.take("tok_never")).toBeUndefined();
  });

  it("overwrites the held bytes when the CVC is taken, and hands out a copy", () => {
    store = new CvcStore();
    const held = Buffer.from("4321");
    store.put("tok_a", held);
    const taken = store.take("tok_a")!;
    expect(zeroed(held)).toBe(true);
    expect(taken.toString()).toBe("4321");
  });

  it("forgets and wipes a CVC when its time is up, taken or not", () => {
    store = new CvcStore({ ttlMs: 60_000 });
    const untaken = Buffer.from("111");
    const late = Buffer.from("222");
    store.put("tok_untaken", untaken);
    store.put("tok_late", late);
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
    store.put("tok_a", Buffer.from("123"));
    vi.setSystemTime(Date.now() + 10_000);
    expect(store.take("tok_a")).toBeUndefined();
  });

  it("never keeps a CVC longer than 10 minutes, whatever it is configured to", () => {
    store = new CvcStore({ ttlMs: 60 * 60 * 1000 });
    expect(store.ttlMs).toBe(MAX_CVC_TTL_MS);
    const held = Buffer.from("123");
    store.put("tok_a", held);
    vi.advanceTimersByTime(10 * 60 * 1000 + 5_000);
    expect(store.size).toBe(0);
    expect(zeroed(held)).toBe(true);
  });

  it("wipes the CVC it replaces, the oldest one when full, and everything on close", () => {
    store = new CvcStore({ maxEntries: 2 });
    const first = Buffer.from("111");
    const replaced = Buffer.from("222");
    const remaining = Buffer.from("444");
    store.put("tok_1", first);
    store.put("tok_2", replaced);
    store.put("tok_2", Buffer.from("333"));
    expect(zeroed(replaced)).toBe(true);
    store.put("tok_3", remaining);
    expect(zeroed(first)).toBe(true);
    expect(store.has("tok_1")).toBe(false);
    store.close();
    expect(zeroed(remaining)).toBe(true);
    expect(store.size).toBe(0);
  });
});
