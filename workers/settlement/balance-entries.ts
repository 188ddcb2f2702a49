import { CARD_BRANDS, type CardBrand } from "../../common/card-brands.js";
import type { PaymentEventMessage } from "../../common/payment-event-message.js";
import { PROCESSOR_REGISTRY, processorFee, type Region } from "../../common/processor-registry.js";
import type { BalanceType } from "../../db/schema/balance-transactions.js";
import { isProcessorId } from "../../durable-objects/payment/payment-routing.js";

/**
 * One money movement on a merchant's balance, immutable once written: `amount` signed (a charge
 * adds, a refund or dispute takes away), `fee` what the processor keeps of it (never negative),
 * `net` = amount - fee, all in the currency's minor units. `source_id` is the object that moved
 * the money (the payment for its capture, the refund, the dispute); one movement per type and
 * source, which is what makes writing it exactly once a unique index.
 */
export interface BalanceEntry {
  type: BalanceType;
  merchantId: string;
  livemode: boolean;
  currency: string;
  amount: number;
  fee: number;
  net: number;
  processor: string | null;
  sourceId: string;
  paymentId: string | null;
  /** When the money moved (the event's time), and the UTC day it becomes payable (YYYY-MM-DD). */
  createdAt: Date;
  availableOn: string;
}

/** What the merchant's row says that the entries need: where it is, and how long funds wait. */
export interface MerchantTerms {
  country: string;
  delayDays: number;
}

/** `day` (an instant) as its UTC date plus `days`, as YYYY-MM-DD. */
export function availableOn(at: Date, days: number): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + days));
  return day.toISOString().slice(0, 10);
}

/**
 * The processor's fee for a capture, from the registry's fee table (common/processor-registry.ts:
 * basis points of the amount, rounded half up, plus a fixed part, integers throughout). A card's
 * region is domestic when it was issued in the merchant's country; unknown counts as international,
 * the dearer rule, as the router assumes. A processor outside the registry (a payment the vault
 * routed by brand, before processors were configuration) charges nothing known: 0.
 */
export function captureFee(message: PaymentEventMessage, merchant: MerchantTerms): number {
  const { payment } = message;
  if (!isProcessorId(payment.processor)) return 0;
  const country = payment.card?.country ?? null;
  const region: Region = country !== null && country === merchant.country ? "domestic" : "international";
  const brand = CARD_BRANDS.find((known): known is CardBrand => known === payment.card?.brand) ?? null;
  const fee = processorFee(PROCESSOR_REGISTRY[payment.processor], { amount: payment.amount_captured, brand, region });
  // A fee over the amount would make a capture cost the merchant money: capped at the amount.
  return Math.min(fee ?? 0, payment.amount_captured);
}

/**
 * The money movements one transition made: its capture (the `payment.captured` event) and the
 * refunds it settled as succeeded. Refund fees are not returned (Stripe's rule), so a refund's fee
 * is 0 and its net the whole refund. Pure: the projection writes what this returns, and the unique
 * (type, source) index makes a redelivered or reordered message add nothing.
 */
export function balanceEntriesOf(message: PaymentEventMessage, merchant: MerchantTerms): BalanceEntry[] {
  const { payment, event } = message;
  const at = new Date(event.created_at);
  const base = {
    merchantId: payment.merchant_id,
    livemode: payment.livemode,
    currency: payment.currency,
    processor: payment.processor,
    paymentId: payment.id,
    createdAt: at,
    availableOn: availableOn(at, merchant.delayDays),
  };
  const entries: BalanceEntry[] = [];
  if (event.event_type === "payment.captured" && payment.amount_captured > 0) {
    const fee = captureFee(message, merchant);
    const amount = payment.amount_captured;
    entries.push({ ...base, type: "charge", amount, fee, net: amount - fee, sourceId: payment.id });
  }
  for (const refund of message.refunds) {
    if (refund.status !== "succeeded") continue;
    entries.push({ ...base, type: "refund", amount: -refund.amount, fee: 0, net: -refund.amount, sourceId: refund.id });
  }
  return entries;
}
