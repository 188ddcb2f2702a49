import type { Context } from "hono";
import type { Owner } from "../../common/owner.js";
import type { RoutingChoice } from "../../durable-objects/payment/payment-routing.js";
import type { AppEnv } from "../app-env.js";
import { log } from "../logging/logger.js";
import { healthSnapshot } from "../processor-health/health-snapshot.js";
import { processorsInMode } from "../routing/processors-in-mode.js";
import { cachedRouting } from "../routing/routing-cache.js";
import { DEFAULT_MAX_ATTEMPTS } from "../routing/routing-config.js";
import { routingDraws } from "../routing/routing-draws.js";
import { decide } from "../routing/routing-engine.js";
import { findRoutingFacts } from "./routing-facts.repository.js";
import { cachedRoutingFacts } from "./routing-facts-cache.js";

/** The create's facts the router weighs. */
interface PaymentFacts {
  method: "card" | "upi" | "paypal";
  amount: number;
  currency: string;
  /** The card's token; null for UPI. */
  token: string | null;
  metadata: Record<string, string>;
}

/** The decision, and the merchant's name (a UPI payer's app shows it); null when Postgres could not answer. */
export interface RoutedPayment {
  routing: RoutingChoice | null;
  merchantName: string | null;
}

/**
 * The seed's card and UPI routers, before the payment's first attempt: the card's brand and issuing
 * country (from its token, in this merchant's mode), the merchant's country and routing rules
 * (all cached per isolate: a payment whose facts are all cached opens no Postgres connection), processor health (a cached snapshot: no round trip), and the processors
 * this mode can reach. Null when the token is not the merchant's in this mode: nothing to route
 * on, and the vault refuses the token anyway. The payment object stores the decision and walks
 * it on failover; it is never made again for the same payment. Also null when Postgres cannot
 * answer: the payment then goes unrouted rather than not at all.
 */
export async function routePayment(
  c: Context<AppEnv>,
  owner: Owner,
  paymentId: string,
  payment: PaymentFacts,
): Promise<RoutedPayment> {
  let facts: Awaited<ReturnType<typeof findRoutingFacts>>;
  let stored: Awaited<ReturnType<typeof cachedRouting>>;
  try {
    // Postgres is opened only when this isolate lacks a fact (one connection for both reads).
    const db = c.var.db;
    [facts, stored] = await Promise.all([
      cachedRoutingFacts(owner, payment.token, async () => findRoutingFacts(await db(), owner, payment.token)),
      cachedRouting(db, owner),
    ]);
  } catch (error) {
    // Postgres is the projection's store, not the payment's: without it the payment still goes,
    // unrouted, to the vault's default processor for the card's brand (no failover candidates).
    log("warn", "routing facts unavailable; the vault's default processor takes the payment", {
      error: error instanceof Error ? error.message : String(error),
    });
    return { routing: null, merchantName: null };
  }
  if (!facts) return { routing: null, merchantName: null };
  // A card payment routes on its card: a token that is not this merchant's tells nothing.
  if (payment.method === "card" && !facts.card) return { routing: null, merchantName: facts.merchantName };
  const health = healthSnapshot(c.env, owner.livemode, (work) => c.executionCtx.waitUntil(work));
  const decision = decide(
    stored.config,
    {
      method: payment.method,
      brand: facts.card?.brand ?? null,
      amount: payment.amount,
      currency: payment.currency,
      issuerCountry: facts.card?.issuerCountry ?? null,
      merchantCountry: facts.merchantCountry,
      metadata: payment.metadata,
    },
    {
      health,
      now: Date.now(),
      ...routingDraws(paymentId),
      reachable: processorsInMode(c.env, owner.livemode),
    },
  );
  return {
    routing: {
      rule: decision.rule,
      candidates: decision.candidates,
      skipped: decision.skipped,
      max_attempts: stored.config.max_attempts ?? DEFAULT_MAX_ATTEMPTS,
      probes: decision.candidates.filter((processor) => health[processor].state !== "closed"),
    },
    merchantName: facts.merchantName,
  };
}
