import type { MiddlewareHandler } from "hono";
import { VaultError } from "../../errors/vault-error.js";
import type { TokenBuckets } from "../../rate-limits/token-buckets.js";
import type { VaultEnv } from "../../vault-env.js";
import { clientAddress } from "./client-address.js";

/** The two limits on `POST /v1/tokens`, each a set of token buckets. */
export interface TokenizationLimits {
  /** Per client address, before authentication: strangers and bad keys cost no hash or query. */
  perClient: TokenBuckets;
  /** Per publishable key, once it is known: one leaked key cannot flood the vault from many addresses. */
  perKey: TokenBuckets;
}

function refuse(retryAfterSeconds: number): never {
  throw new VaultError("rate_limit_error", { headers: { "Retry-After": String(retryAfterSeconds) } });
}

/**
 * Limits requests per client address. First in the chain, so a flood is refused before any
 * database work, including the CORS preflight's origin lookup (issue 12, item 4; PCI DSS 6.4.2
 * asks that public-facing web applications be protected against attacks, abuse included).
 */
export function limitPerClient(buckets: TokenBuckets): MiddlewareHandler<VaultEnv> {
  return async function limitPerClient(c, next) {
    const answer = buckets.take(clientAddress(c));
    if (!answer.allowed) refuse(answer.retryAfterSeconds);
    await next();
  };
}

/** Limits tokenizations per publishable key; after `publishableKeyAuth`, which sets the caller. */
export function limitPerKey(buckets: TokenBuckets): MiddlewareHandler<VaultEnv> {
  return async function limitPerKey(c, next) {
    const caller = c.var.caller;
    if (caller) {
      const answer = buckets.take(caller.apiKeyId);
      if (!answer.allowed) refuse(answer.retryAfterSeconds);
    }
    await next();
  };
}
