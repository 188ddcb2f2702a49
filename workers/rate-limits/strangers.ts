import type { Context } from "hono";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { clientAddress } from "./client-address.js";
import { TokenBuckets } from "./token-buckets.js";

/** Failed authentications allowed per client address per second, unless configured. */
export const STRANGER_LIMIT_PER_SECOND = 20;

const failures = new TokenBuckets();

/** `UNAUTHENTICATED_RATE_LIMIT_PER_IP` (per second), 20 when unset or not a positive integer. */
export function strangerLimit(env: { UNAUTHENTICATED_RATE_LIMIT_PER_IP?: string }): number {
  const value = Number(env.UNAUTHENTICATED_RATE_LIMIT_PER_IP);
  return Number.isInteger(value) && value > 0 ? value : STRANGER_LIMIT_PER_SECOND;
}

function refused(limit: number, nextInMs: number): ApiError {
  const retry = String(Math.max(1, Math.ceil(nextInMs / 1000)));
  return new ApiError("rate_limit_error", {
    message: `Too many failed authentications from this address: at most ${limit} per second. Retry after the time in Retry-After.`,
    headers: {
      "RateLimit-Limit": String(limit),
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": retry,
      "RateLimit-Policy": `${limit};w=1`,
      "Retry-After": retry,
    },
  });
}

/** Handed to the authentication a stranger runs. */
export interface Stranger {
  /**
   * Call before the expensive part (a Postgres lookup): spends one of the address's allowance up
   * front, so concurrent requests cannot all slip past the check at the door, and gives it back
   * if the credential checks out. Throws 429 when none is left.
   */
  reserve(): void;
}

/**
 * Runs `authenticate` for a caller not yet known, counting what it costs against the client's
 * address (client-address.ts), in this isolate: no I/O, so the count costs nothing and cannot
 * fail. Each failed authentication (a 401: no credential, or a malformed, unknown, revoked or
 * expired one) spends one of the address's `UNAUTHENTICATED_RATE_LIMIT_PER_IP` per second; an
 * address with none left is answered 429 before anything is parsed, hashed or looked up. A caller
 * that authenticates spends nothing, so a stranger's flood never limits a merchant calling from
 * another address (one behind the same address shares its allowance while the flood lasts).
 */
export async function asStranger<T>(c: Context<AppEnv>, authenticate: (stranger: Stranger) => Promise<T>): Promise<T> {
  const address = clientAddress(c.req.header("CF-Connecting-IP"));
  const limit = strangerLimit(c.env);
  const door = failures.peek(address, limit, 1000);
  if (!door.allowed) throw refused(limit, door.nextInMs);
  let reserved = false;
  const stranger: Stranger = {
    reserve() {
      if (reserved) return;
      const taken = failures.take(address, limit, 1000);
      if (!taken.allowed) throw refused(limit, taken.nextInMs);
      reserved = true;
    },
  };
  try {
    const known = await authenticate(stranger);
    if (reserved) failures.refund(address, limit);
    return known;
  } catch (error) {
    const failed = error instanceof ApiError && error.status === 401;
    if (failed && !reserved) {
      const spent = failures.take(address, limit, 1000);
      if (!spent.allowed) throw refused(limit, spent.nextInMs);
    }
    if (!failed && reserved) failures.refund(address, limit);
    throw error;
  }
}
