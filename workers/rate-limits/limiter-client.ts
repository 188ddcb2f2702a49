import { answerWithin } from "../../common/answer-within.js";
import { describeError, log } from "../logging/logger.js";
import { callsPerObject, shardCount, shardLimit } from "./shards.js";
import { TokenBuckets } from "./token-buckets.js";

/** One request counted against a limit, wherever it was counted. */
export interface Counted {
  allowed: boolean;
  limit: number;
  windowSeconds: number;
  /** Requests left in the window: exact with one limiter object, an estimate when sharded. */
  remaining: number;
  /** Seconds until the count resets (`RateLimit-Reset`). */
  resetSeconds: number;
  /** Seconds until a refused caller may try again (`Retry-After`, at least 1). */
  retryAfterSeconds: number;
}

/**
 * A limiter object answers in milliseconds, and in a second or so under a burst on one object;
 * one that has not answered in 5 s is as good as down, and the request is counted here instead
 * of waiting on it.
 */
export const LIMITER_ANSWER_MS = 5_000;
const LOG_EVERY_MS = 60_000;

const fallback = new TokenBuckets();
let loggedAt = Number.NEGATIVE_INFINITY;
let unlogged = 0;

/** One line per isolate per minute at most: a limiter outage must not become a log flood too. */
function noteFallback(name: string, error: unknown, now: number): void {
  unlogged += 1;
  if (now - loggedAt < LOG_EVERY_MS) return;
  log("warn", "rate limiter unreachable; counting in this isolate at the configured rate", {
    limiter: name,
    fallbacks_since_last_line: unlogged,
    ...describeError(error),
  });
  loggedAt = now;
  unlogged = 0;
}

/**
 * Counts one request against `limit` per `windowSeconds` under `name`, in the limiter Durable
 * Objects (split over shards, see shards.ts). Fails closed: if the object throws, is overloaded
 * or does not answer within `LIMITER_ANSWER_MS`, the request is counted in a token bucket of
 * this isolate at the same rate instead. That is looser than the objects (each isolate allows
 * the whole rate) but never unlimited, so overloading the limiter cannot switch it off.
 */
export async function countRequest(env: Env, name: string, limit: number, windowSeconds: number): Promise<Counted> {
  const shards = shardCount(limit, windowSeconds, callsPerObject(env));
  const shard = Math.floor(Math.random() * shards);
  const share = shardLimit(limit, shards, shard);
  try {
    const limiter = env.RATE_LIMITER.getByName(`${name}/${shard}`);
    const taken = await answerWithin(limiter.take(share, windowSeconds * 1000), LIMITER_ANSWER_MS, "the limiter");
    const reset = Math.max(0, Math.ceil((taken.resetAt - Date.now()) / 1000));
    return {
      allowed: taken.allowed,
      limit,
      windowSeconds,
      // This object's share scaled to the whole limit.
      remaining: Math.min(limit, Math.floor((taken.remaining * limit) / Math.max(1, share))),
      resetSeconds: reset,
      retryAfterSeconds: Math.max(1, reset),
    };
  } catch (error) {
    const now = Date.now();
    noteFallback(name, error, now);
    const local = fallback.take(name, limit, windowSeconds * 1000, now);
    return {
      allowed: local.allowed,
      limit,
      windowSeconds,
      remaining: local.remaining,
      resetSeconds: Math.ceil(local.fullInMs / 1000),
      retryAfterSeconds: Math.max(1, Math.ceil(local.nextInMs / 1000)),
    };
  }
}
