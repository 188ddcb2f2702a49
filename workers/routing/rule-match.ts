import type { Conditions } from "./routing-config.js";
import { type RoutingPayment, regionOf } from "./routing-payment.js";

/** True when every condition present holds for the payment (AND); an unknown fact never matches. */
export function matches(conditions: Conditions, payment: RoutingPayment): boolean {
  if (conditions.method !== undefined && conditions.method !== payment.method) return false;
  if (conditions.brands !== undefined && (payment.brand === null || !conditions.brands.includes(payment.brand))) {
    return false;
  }
  if (
    conditions.issuer_countries !== undefined &&
    (payment.issuerCountry === null || !conditions.issuer_countries.includes(payment.issuerCountry))
  ) {
    return false;
  }
  if (conditions.region !== undefined && regionOf(payment) !== conditions.region) return false;
  if (conditions.currencies !== undefined && !conditions.currencies.includes(payment.currency)) return false;
  if (conditions.amount_gte !== undefined && payment.amount < conditions.amount_gte) return false;
  if (conditions.amount_lte !== undefined && payment.amount > conditions.amount_lte) return false;
  if (conditions.metadata !== undefined) {
    for (const key in conditions.metadata) {
      if (payment.metadata[key] !== conditions.metadata[key]) return false;
    }
  }
  return true;
}
