import type { Context } from "hono";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { endpointGroup, type GroupLimit, limitFor } from "./endpoint-groups.js";
import { type Counted, countRequest } from "./limiter-client.js";

/** The IETF draft's `RateLimit-*` headers for a counted request. */
export function rateLimitHeaders(counted: Counted): Record<string, string> {
  return {
    "RateLimit-Limit": String(counted.limit),
    "RateLimit-Remaining": String(counted.remaining),
    "RateLimit-Reset": String(counted.resetSeconds),
    "RateLimit-Policy": `${counted.limit};w=${counted.windowSeconds}`,
  };
}

/** Sets the headers on an allowed request; refuses the others with 429 and `Retry-After`. */
export function applyCount(c: Context<AppEnv>, counted: Counted, what: string): void {
  const headers = rateLimitHeaders(counted);
  if (!counted.allowed) {
    throw new ApiError("rate_limit_error", {
      message: `Too many ${what}: at most ${counted.limit} per ${counted.windowSeconds} s. Retry after the reset.`,
      headers: { ...headers, "Retry-After": String(counted.retryAfterSeconds) },
    });
  }
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
}

/**
 * Counts this request against the merchant's limit for its endpoint group and sets the
 * `RateLimit-*` headers. Over the limit: 429 `rate_limit_error` with `Retry-After`. If the
 * limiter objects fail, the count falls back to this isolate (limiter-client.ts): the limit
 * loosens for as long as they are down, but it never opens.
 */
export async function enforceRateLimit(
  c: Context<AppEnv>,
  merchantId: string,
  overrides: Partial<Record<string, GroupLimit>>,
): Promise<void> {
  const group = endpointGroup(c.req.method, c.req.path);
  const { limit, window_seconds: windowSeconds } = limitFor(group, overrides);
  const counted = await countRequest(c.env, `${merchantId}/${group}`, limit, windowSeconds);
  applyCount(c, counted, `${group.replace("_", " ")} requests`);
}
