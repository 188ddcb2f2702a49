import { describe, expect, it } from "vitest";
import { firstStatusCheckMs, nextStatusCheckAt, requestFenceMs } from "./upi-timers.js";

const env = { UPI_FIRST_STATUS_CHECK_SECONDS: "90", UPI_REQUEST_FENCE_SECONDS: "60" };
const start = Date.parse("2026-12-02T10:00:00Z");
const intent = { created_at: new Date(start).toISOString() };

describe("UPI status-check timers (NPCI circular of 26 Apr 2025)", () => {
  it("makes the first check 90 s after initiation, then doubles: 180 s, 360 s", () => {
    expect(nextStatusCheckAt(env, intent, 0, start, null) - start).toBe(90_000);
    expect(nextStatusCheckAt(env, intent, 1, start + 90_000, null) - start).toBe(180_000);
    expect(nextStatusCheckAt(env, intent, 2, start + 180_000, null) - start).toBe(360_000);
  });

  it("keeps asking a still-pending transaction after NPCI's three checks, at most every 15 minutes", () => {
    const now = start + 3_600_000;
    expect(nextStatusCheckAt(env, intent, 3, now, null) - now).toBe(720_000);
    expect(nextStatusCheckAt(env, intent, 9, now, null) - now).toBe(900_000);
  });

  it("checks a request just after it lapses, but never before the first check's 90 s", () => {
    const lapsesAt = new Date(start + 150_000).toISOString();
    expect(nextStatusCheckAt(env, intent, 1, start + 90_000, lapsesAt) - start).toBe(152_000);
    const early = new Date(start + 30_000).toISOString();
    expect(nextStatusCheckAt(env, intent, 0, start, early) - start).toBe(90_000);
  });

  it("never schedules in the past or in a tight loop", () => {
    const late = start + 10 * 3_600_000;
    expect(nextStatusCheckAt(env, intent, 0, late, null)).toBe(late + 1_000);
  });

  it("takes shorter timers from configuration, and NPCI's when the setting is missing or nonsense", () => {
    expect(firstStatusCheckMs({ ...env, UPI_FIRST_STATUS_CHECK_SECONDS: "2" })).toBe(2_000);
    expect(firstStatusCheckMs({ ...env, UPI_FIRST_STATUS_CHECK_SECONDS: "" })).toBe(90_000);
    expect(firstStatusCheckMs({ ...env, UPI_FIRST_STATUS_CHECK_SECONDS: "-5" })).toBe(90_000);
    expect(requestFenceMs({ ...env, UPI_REQUEST_FENCE_SECONDS: "4" })).toBe(4_000);
  });
});
