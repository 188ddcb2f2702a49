import { describe, expect, it } from "vitest";
import { parseRetryAfter, retryDelaySeconds, retrySchedule } from "../../workers/webhooks/retry-schedule.js";

describe("webhook retry schedule", () => {
  const schedule = retrySchedule(undefined);

  it("spans about three days in nine growing waits, ten attempts in all", () => {
    expect(schedule.maxAttempts).toBe(10);
    const total = schedule.delays.reduce((sum, delay) => sum + delay, 0);
    expect(total / 86_400).toBeGreaterThan(2.9);
    expect(total / 86_400).toBeLessThan(3.3);
    expect([...schedule.delays].sort((a, b) => a - b)).toEqual(schedule.delays);
  });

  it("adds at most 10 % jitter, and honours a longer Retry-After on 429 and 503 only", () => {
    expect(retryDelaySeconds(schedule, 1, 500, null, () => 0)).toBe(5);
    expect(retryDelaySeconds(schedule, 2, 500, null, () => 0.999)).toBe(330);
    expect(retryDelaySeconds(schedule, 1, 429, "120", () => 0)).toBe(120);
    expect(retryDelaySeconds(schedule, 1, 503, "2", () => 0)).toBe(5); // the schedule's wait is longer
    expect(retryDelaySeconds(schedule, 1, 500, "120", () => 0)).toBe(5);
    expect(retryDelaySeconds(schedule, 1, 429, String(10 * 86_400), () => 0)).toBe(86_400);
    expect(retryDelaySeconds(schedule, 50, 500, null, () => 0)).toBe(86_400);
  });

  it("reads Retry-After as seconds or as an HTTP date, and a custom schedule from its var", () => {
    const now = Date.parse("2026-11-25T12:00:00Z");
    expect(parseRetryAfter("30", now)).toBe(30);
    expect(parseRetryAfter("Wed, 25 Nov 2026 12:01:00 GMT", now)).toBe(60);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(retrySchedule("1,2")).toEqual({ delays: [1, 2], maxAttempts: 3 });
    expect(() => retrySchedule("1,x")).toThrow(/WEBHOOK_RETRY_SCHEDULE_SECONDS/);
  });
});
