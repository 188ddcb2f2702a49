/**
 * When a failed delivery is tried again: by default about three days in all, in growing steps
 * (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h), set by the var
 * WEBHOOK_RETRY_SCHEDULE_SECONDS. Each wait gets up to 10 % jitter so endpoints that failed
 * together are not retried together. Attempt 1 is the first try; after the last wait's attempt
 * the delivery is marked failed.
 */
export interface RetrySchedule {
  /** Seconds to wait after failed attempt 1, 2, ... */
  delays: number[];
  maxAttempts: number;
}

const DEFAULT = "5,300,1800,7200,18000,36000,50400,72000,86400";

export function retrySchedule(setting: string | undefined): RetrySchedule {
  const delays = (setting || DEFAULT).split(",").map(Number);
  if (delays.some((delay) => !Number.isInteger(delay) || delay < 0)) {
    throw new Error("WEBHOOK_RETRY_SCHEDULE_SECONDS must be comma-separated whole seconds");
  }
  return { delays, maxAttempts: delays.length + 1 };
}

/** Cloudflare Queues delays a message by at most 12 h; longer waits are chained (see the consumer). */
export const MAX_QUEUE_DELAY_SECONDS = 43_200;

/**
 * Seconds to wait after failed attempt number `attempt` (1-based). A `Retry-After` from a 429 or
 * 503 is honoured when it asks for longer than the schedule (capped at a day).
 */
export function retryDelaySeconds(
  schedule: RetrySchedule,
  attempt: number,
  status: number | null,
  retryAfter: string | null,
  random = Math.random,
): number {
  const base = schedule.delays[Math.min(attempt - 1, schedule.delays.length - 1)] ?? 0;
  const jittered = Math.round(base * (1 + 0.1 * random()));
  if ((status === 429 || status === 503) && retryAfter) {
    const asked = parseRetryAfter(retryAfter);
    if (asked !== null) return Math.min(Math.max(jittered, asked), 86_400);
  }
  return jittered;
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string, now = Date.now()): number | null {
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}
