import type { CardBrand } from "../../common/card-brands.js";
import type { PaymentMethod, ProcessorId, Region } from "../../common/processor-registry.js";
import type { HealthSnapshot } from "./health-snapshot.js";

/**
 * The facts of a payment the router decides on: what the merchant sent and what the vault knows
 * of the card from its BIN (brand, issuing country), never the card itself.
 */
export interface RoutingPayment {
  method: PaymentMethod;
  /** null when the BIN matched no network the gateway knows (no card processor takes it), and for UPI. */
  brand: CardBrand | null;
  /** Minor units of `currency`. */
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** ISO 3166-1 alpha-2 from the BIN, upper case; null when the BIN table does not say. */
  issuerCountry: string | null;
  merchantCountry: string;
  metadata: Readonly<Record<string, string>>;
}

/** What a decision depends on beyond the payment and the config, so it is reproducible. */
export interface RoutingContext {
  health: HealthSnapshot;
  /** Epoch ms, to tell an open circuit from one due for a probe. */
  now: number;
  /** In [0, 1): places the payment in a volume split. Derive it from the payment, so its retries land alike. */
  draw: number;
  /** In [0, 1): below a success-rate route's hedge, the runner-up goes first. */
  hedgeDraw: number;
  /**
   * The processors the payment's mode has a link to (live mode reaches only the configured ones,
   * `PROCESSORS_LIVE`); the others are skipped as `not_configured_in_mode`. All when left out.
   */
  reachable?: readonly ProcessorId[];
}

/** Domestic when the card was issued in the merchant's country; unknown when the BIN does not say. */
export function regionOf(payment: RoutingPayment): Region | null {
  if (payment.issuerCountry === null) return null;
  return payment.issuerCountry === payment.merchantCountry ? "domestic" : "international";
}
