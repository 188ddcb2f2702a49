import { PROCESSOR_IDS, PROCESSOR_REGISTRY, type ProcessorId } from "../../common/processor-registry.js";
import { isRefusing } from "./health-snapshot.js";
import type { RoutingContext, RoutingPayment } from "./routing-payment.js";

/** Why a processor was left out before any rule ran. */
export const SKIP_REASONS = [
  "not_configured_in_mode",
  "method_not_supported",
  "brand_not_supported",
  "currency_not_supported",
  "issuer_country_not_supported",
  "disabled_by_merchant",
  "circuit_open",
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface Skipped {
  processor: ProcessorId;
  reason: SkipReason;
}

/** The first reason `processor` cannot take `payment`, or null when it can. */
function skipReason(
  processor: ProcessorId,
  payment: RoutingPayment,
  disabled: readonly ProcessorId[],
  { health, now, reachable }: Pick<RoutingContext, "health" | "now" | "reachable">,
): SkipReason | null {
  const profile = PROCESSOR_REGISTRY[processor];
  if (reachable !== undefined && !reachable.includes(processor)) return "not_configured_in_mode";
  if (!profile.methods.includes(payment.method)) return "method_not_supported";
  if (payment.method === "card" && (payment.brand === null || !profile.brands.includes(payment.brand))) {
    return "brand_not_supported";
  }
  if (!profile.currencies.includes(payment.currency)) return "currency_not_supported";
  // A processor that names its countries cannot be shown a card whose country is unknown.
  if (
    profile.issuerCountries !== "*" &&
    (payment.issuerCountry === null || !profile.issuerCountries.includes(payment.issuerCountry))
  ) {
    return "issuer_country_not_supported";
  }
  if (disabled.includes(processor)) return "disabled_by_merchant";
  if (isRefusing(health, processor, now)) return "circuit_open";
  return null;
}

/**
 * Splits the registry's processors of the payment's method into the ones that may take this
 * payment (registry order) and the ones that may not, each with its reason. An open circuit past its `retryAt` stays eligible: the
 * payment object asks the health object to admit the probe before sending it. Runs before any rule, so neither a rule nor the
 * last-resort fallback can name a processor the merchant disabled, whose circuit is open, or that
 * the payment's mode has no link to.
 */
export function sortOutEligible(
  payment: RoutingPayment,
  disabled: readonly ProcessorId[],
  context: Pick<RoutingContext, "health" | "now" | "reachable">,
): { eligible: ProcessorId[]; skipped: Skipped[] } {
  const eligible: ProcessorId[] = [];
  const skipped: Skipped[] = [];
  for (const processor of PROCESSOR_IDS) {
    // Another method's processors are not candidates at all (a card payment never lists the UPI
    // switch as skipped, nor a UPI payment the acquirers): they stay out of the explanation.
    if (!PROCESSOR_REGISTRY[processor].methods.includes(payment.method)) continue;
    const reason = skipReason(processor, payment, disabled, context);
    if (reason === null) eligible.push(processor);
    else skipped.push({ processor, reason });
  }
  return { eligible, skipped };
}
