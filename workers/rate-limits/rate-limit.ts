import type { Context } from "hono";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { describeError, log } from "../logging/logger.js";
import { endpointGroup, type GroupLimit, limitFor } from "./endpoint-groups.js";
import { callsPerObject, shardCount, shardLimit } from "./shards.js";

/**
 * Counts this request against the merchant's limit for its endpoint group, in a limiter Durable
 * Object, and sets the IETF draft's `RateLimit-Limit`, `RateLimit-Remaining` and
 * `RateLimit-Reset` headers. Over the limit: 429 `rate_limit_error` with `Retry-After`.
 *
 * Fails open: if the limiter cannot be reached, the request goes through (and is logged). A
 * payment API that refuses money because its own counter is down does more harm than a burst
 * that gets through for the seconds an object takes to come back.
 */
export async function enforceRateLimit(
  c: Context<AppEnv>,
  merchantId: string,
  overrides: Partial<Record<string, GroupLimit>>,
): Promise<void> {
  const group = endpointGroup(c.req.method, c.req.path);
  const { limit, window_seconds: windowSeconds } = limitFor(group, overrides);
  const shards = shardCount(limit, windowSeconds, callsPerObject(c.env));
  const shard = Math.floor(Math.random() * shards);
  const share = shardLimit(limit, shards, shard);
  let result: { allowed: boolean; remaining: number; resetAt: number };
  try {
    const limiter = c.env.RATE_LIMITER.getByName(`${merchantId}/${group}/${shard}`);
    result = await limiter.take(share, windowSeconds * 1000);
  } catch (error) {
    log("warn", "rate limiter unreachable; request allowed", {
      merchant_id: merchantId,
      group,
      ...describeError(error),
    });
    return;
  }
  const reset = Math.max(0, Math.ceil((result.resetAt - Date.now()) / 1000));
  // Remaining is this object's share scaled to the whole limit: an estimate when sharded.
  const remaining = Math.min(limit, Math.floor((result.remaining * limit) / Math.max(1, share)));
  const headers = {
    "RateLimit-Limit": String(limit),
    "RateLimit-Remaining": String(remaining),
    "RateLimit-Reset": String(reset),
    "RateLimit-Policy": `${limit};w=${windowSeconds}`,
  };
  if (!result.allowed) {
    throw new ApiError("rate_limit_error", {
      message: `Too many ${group.replace("_", " ")} requests: at most ${limit} per ${windowSeconds} s. Retry after the reset.`,
      headers: { ...headers, "Retry-After": String(Math.max(1, reset)) },
    });
  }
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
}
