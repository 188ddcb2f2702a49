import { type DevJson, opsToken } from "../../test/support/running-stack.js";
import { ENDPOINT_GROUPS, type GroupLimit } from "../../workers/rate-limits/endpoint-groups.js";

/** The most an ops override may set (workers/rate-limits/rate-limits.schemas.ts). */
const UNREACHABLE: GroupLimit = { limit: 1_000_000, window_seconds: 1 };

/** The fields of the ops API's created merchant this uses. */
interface CreatedMerchant {
  id: string;
  keys: { secret: { secret: string }; publishable: { secret: string } };
}

async function ops(dev: DevJson, token: string, method: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${dev.api}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const json: unknown = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * A merchant of the benchmark's own, made through the ops API as any merchant is, with every
 * endpoint group's limit at the most the API allows (a million per second) before its key is
 * first used: far above what this machine can send, so its limiter objects are still called on
 * every request (their cost is measured) and never refuse one. The demo merchant keeps its
 * ordinary limits, which a benchmark would otherwise hit (issue 17: a baseline of 429s).
 *
 * Returned as the stack's `dev.json` with this merchant's id and test-mode keys in place of the
 * demo's, so the stack helpers (`apiCall`, `tokenizeCard`) act as it; the benchmarks make no
 * live-mode payments.
 */
export async function benchMerchant(dev: DevJson): Promise<DevJson> {
  const token = await opsToken(dev);
  const merchant = (await ops(dev, token, "POST", "/v1/merchants", {
    name: "Bench Merchant",
    email: "bench@merchant.example",
    country: "US",
    default_currency: "usd",
  })) as CreatedMerchant;
  const limits = Object.fromEntries(ENDPOINT_GROUPS.map((group) => [group, UNREACHABLE]));
  await ops(dev, token, "PUT", `/v1/merchants/${merchant.id}/rate_limits`, { limits });
  return {
    ...dev,
    merchant_id: merchant.id,
    secret_key: merchant.keys.secret.secret,
    publishable_key: merchant.keys.publishable.secret,
  };
}
