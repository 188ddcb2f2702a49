import { afterEach, describe, expect, it, vi } from "vitest";
import { withDeadline } from "./deadline-signal.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("withDeadline", () => {
  it("aborts work that outlasts it with a TimeoutError, as AbortSignal.timeout does", async () => {
    const never = withDeadline(
      20,
      (signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
    );
    await expect(never).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("leaves no timer behind once the work is done, answered or failed (an idle object can go)", async () => {
    vi.useFakeTimers();
    expect(await withDeadline(25_000, async () => "answered")).toBe("answered");
    await expect(withDeadline(25_000, async () => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("keeps the signal quiet for work that finishes in time", async () => {
    let seen: AbortSignal | undefined;
    await withDeadline(1_000, async (signal) => {
      seen = signal;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen?.aborted).toBe(false);
  });
});
