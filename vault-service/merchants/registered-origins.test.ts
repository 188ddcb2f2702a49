import { describe, expect, it } from "vitest";
import { RegisteredOrigins } from "./registered-origins.js";

function world() {
  const state = { clock: 0, loads: 0, origins: new Set(["https://shop.example"]), fail: false };
  const registered = new RegisteredOrigins(
    async () => {
      state.loads += 1;
      if (state.fail) throw new Error("database unreachable");
      return new Set(state.origins);
    },
    30_000,
    1_000,
    () => state.clock,
  );
  return { state, registered };
}

describe("the registered origins a preflight is checked against", () => {
  it("costs one load for any number of preflights, made-up origins included, within a second", async () => {
    const { state, registered } = world();
    for (let i = 0; i < 1_000; i++) {
      expect(await registered.has("https://shop.example")).toBe(true);
      expect(await registered.has(`https://attacker-${i}.example`)).toBe(false);
    }
    expect(state.loads).toBe(1);
    state.clock = 1_500; // a second later a miss may reload once, and no more until the next second
    for (let i = 0; i < 100; i++) await registered.has(`https://again-${i}.example`);
    expect(state.loads).toBe(2);
  });

  it("sees a merchant's new origin within a second, and a removed one for at most its maximum age", async () => {
    const { state, registered } = world();
    expect(await registered.has("https://new-shop.example")).toBe(false);
    state.origins.add("https://new-shop.example");
    state.origins.delete("https://shop.example");
    state.clock = 1_001;
    expect(await registered.has("https://new-shop.example")).toBe(true);
    state.clock = 30_000;
    expect(await registered.has("https://shop.example")).toBe(false);
  });

  it("keeps no failed load: the next preflight tries again", async () => {
    const { state, registered } = world();
    state.fail = true;
    await expect(registered.has("https://shop.example")).rejects.toThrow(/unreachable/);
    state.fail = false;
    expect(await registered.has("https://shop.example")).toBe(true);
    expect(state.loads).toBe(2);
  });
});
