import { PROCESSOR_IDS, PROCESSOR_REGISTRY, type ProcessorId } from "../../common/processor-registry.js";
import { type HealthSnapshot, isRefusing } from "./health-snapshot.js";
import type { RoutingContext, RoutingPayment } from "./routing-payment.js";

/** Why a processor was left out before any rule ran. */
export const SKIP_REASONS = [
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
  health: HealthSnapshot,
  now: number,
): SkipReason | null {
  const profile = PROCESSOR_REGISTRY[processor];
  if (!profile.methods.includes(payment.method)) return "method_not_supported";
  if (payment.brand === null || !profile.brands.includes(payment.brand)) return "brand_not_supported";
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
 * Splits the registry into the processors that may take this payment (registry order) and the
 * ones that may not, each with its reason. An open circuit past its `retryAt` stays eligible: the
 * payment object asks the health object to admit the probe before sending it. Runs before any rule, so neither a rule nor the
 * last-resort fallback can name a processor the merchant disabled or whose circuit is open.
 */
export function sortOutEligible(
  payment: RoutingPayment,
  disabled: readonly ProcessorId[],
  { health, now }: Pick<RoutingContext, "health" | "now">,
): { eligible: ProcessorId[]; skipped: Skipped[] } {
  const eligible: ProcessorId[] = [];
  const skipped: Skipped[] = [];
  for (const processor of PROCESSOR_IDS) {
    const reason = skipReason(processor, payment, disabled, health, now);
    if (reason === null) eligible.push(processor);
    else skipped.push({ processor, reason });
  }
  return { eligible, skipped };
}
