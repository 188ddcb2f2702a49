import type { CardBrand } from "../../common/card-brands.js";
import type { ProcessorId, Region } from "../../common/processor-registry.js";

/**
 * A merchant's routing configuration, per mode, as stored (`routing_configs.config`) and as the
 * API shows it. Rules are tried in order and the first whose conditions all hold chooses the
 * route (AND within a rule; OR across rules is several rules with the same route). `default`
 * routes what no rule matches. Processors in `disabled` never receive a payment, whatever the
 * rules say.
 */
export interface RoutingConfig {
  rules: RoutingRule[];
  default: Route;
  disabled: ProcessorId[];
  /** Attempts one payment may make, failovers included (`DEFAULT_MAX_ATTEMPTS` when absent). */
  max_attempts?: number;
}

/** A payment tries at most this many processors unless its merchant says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 3;

export interface RoutingRule {
  /** Unique within the config; the decision names it, so the payment's attempt records it. */
  name: string;
  conditions: Conditions;
  route: Route;
}

/** Every condition present must hold. Countries are ISO 3166-1 alpha-2, currencies ISO 4217, upper case. */
export interface Conditions {
  method?: "card";
  brands?: CardBrand[];
  /** The card's issuing country, from its BIN. */
  issuer_countries?: string[];
  /** The issuing country against the merchant's: `domestic` when they are the same. */
  region?: Region;
  currencies?: string[];
  /** Minor units of the payment's currency, inclusive; validation requires a `currencies` condition beside them. */
  amount_gte?: number;
  amount_lte?: number;
  /** Each key's value in the payment's metadata must equal this one. */
  metadata?: Record<string, string>;
}

/** How a route orders its processors; eligible processors it does not name follow as a last resort. */
export type Route =
  | { type: "priority"; processors: ProcessorId[] }
  /** One processor drawn by weight (deterministic from the payment), the others after it by weight. */
  | { type: "volume_split"; splits: { processor: ProcessorId; weight: number }[] }
  /** Lowest fee for this payment first (the registry's fee tables), ties by id; all processors when none are named. */
  | { type: "cheapest_first"; processors?: ProcessorId[] }
  /** Highest success rate first (the health snapshot); with probability `hedge` the top two swap. */
  | { type: "success_rate"; processors?: ProcessorId[]; hedge?: number };

/** The share of success-rate decisions that try the runner-up, so its score stays current. */
export const DEFAULT_HEDGE = 0.05;

/** What a merchant with no stored configuration gets (version 0). */
export const PLATFORM_DEFAULT: RoutingConfig = {
  rules: [],
  default: { type: "priority", processors: ["acquirer_a", "acquirer_b", "aggregator"] },
  disabled: [],
};
