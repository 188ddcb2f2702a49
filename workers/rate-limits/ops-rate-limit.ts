import type { Context } from "hono";
import type { AppEnv } from "../app-env.js";
import { countRequest } from "./limiter-client.js";
import { applyCount } from "./rate-limit.js";

/** Requests per second per ops client, unless configured: far above what ops tooling needs. */
export const OPS_LIMIT_PER_SECOND = 100;

/** `OPS_RATE_LIMIT_PER_CLIENT` (per second), 100 when unset or not a positive integer. */
export function opsLimit(env: { OPS_RATE_LIMIT_PER_CLIENT?: string }): number {
  const value = Number(env.OPS_RATE_LIMIT_PER_CLIENT);
  return Number.isInteger(value) && value > 0 ? value : OPS_LIMIT_PER_SECOND;
}

/**
 * Counts an ops request against its client's limit, in the same limiter objects as merchants'
 * (and with the same fallback when they fail): a leaked or runaway ops credential cannot flood
 * the routes that write to every merchant.
 */
export async function enforceOpsRateLimit(c: Context<AppEnv>, clientId: string): Promise<void> {
  const counted = await countRequest(c.env, `ops/${clientId}`, opsLimit(c.env), 1);
  applyCount(c, counted, "ops requests from this client");
}
