import type { QueueRole } from "../queues/queue-router.js";

/** Consumers a fault campaign can switch to failing (the projection is the one worth breaking). */
export const SWITCHABLE_CONSUMERS = ["payment-events"] as const;
export type SwitchableConsumer = (typeof SWITCHABLE_CONSUMERS)[number];

const key = (consumer: SwitchableConsumer) => `chaos:consumer:${consumer}`;

/**
 * Retry delays (seconds, by attempt) while a consumer is switched to fail: short enough that the
 * backlog drains soon after the switch is turned back, long enough that ten attempts
 * (`max_retries`) outlast any outage a campaign schedules, so nothing reaches the dead-letter queue.
 */
const FAILING_RETRY_DELAYS_SECONDS = [2, 4, 8, 15, 30];

export function failingRetryDelay(attempts: number): number {
  return FAILING_RETRY_DELAYS_SECONDS[Math.min(attempts - 1, FAILING_RETRY_DELAYS_SECONDS.length - 1)] ?? 30;
}

/**
 * True when a fault campaign has switched `role`'s consumer to fail. The switch lives in KV, which
 * every isolate reads; it is read only when CHAOS_ROUTES is on, so staging and production never pay
 * for the lookup (their wrangler.toml says "off").
 */
export async function consumerSwitchedToFail(env: Env, role: QueueRole): Promise<boolean> {
  if (env.CHAOS_ROUTES !== "on" || role !== "payment-events") return false;
  return (await env.CONFIG_CACHE.get(key(role))) === "fail";
}

export async function setConsumerSwitch(env: Env, consumer: SwitchableConsumer, mode: "fail" | "ok"): Promise<void> {
  if (mode === "fail") await env.CONFIG_CACHE.put(key(consumer), "fail");
  else await env.CONFIG_CACHE.delete(key(consumer));
}

/** The switches as the route shows them (`payment_events`, like the body that sets them). */
export async function consumerSwitches(env: Env): Promise<{ payment_events: "fail" | "ok" }> {
  return { payment_events: (await env.CONFIG_CACHE.get(key("payment-events"))) === "fail" ? "fail" : "ok" };
}
