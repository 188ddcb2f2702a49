import type { CardBrand } from "../../common/card-brands.js";

export { CARD_BRANDS, type CardBrand } from "../../common/card-brands.js";

/** Stripe's vocabulary for how the card is funded; `unknown` when the BIN table only knows the network. */
export type CardFunding = "credit" | "debit" | "prepaid" | "unknown";

export interface BrandRules {
  lengths: readonly number[];
  cvcLength: 3 | 4;
}

/**
 * The card networks the vault accepts, with the rules a number and its security code must follow.
 * Lengths are the PAN lengths each network issues (ISO/IEC 7812-1 allows 8-19; networks narrow
 * it). American Express prints a 4-digit CID on the front; every other network a 3-digit CVC2/CVV2.
 */
export const BRAND_RULES: Readonly<Record<CardBrand, BrandRules>> = {
  visa: { lengths: [13, 16, 19], cvcLength: 3 },
  mastercard: { lengths: [16], cvcLength: 3 },
  amex: { lengths: [15], cvcLength: 4 },
  discover: { lengths: [16, 17, 18, 19], cvcLength: 3 },
  jcb: { lengths: [16, 17, 18, 19], cvcLength: 3 },
  diners: { lengths: [14, 15, 16, 17, 18, 19], cvcLength: 3 },
  unionpay: { lengths: [16, 17, 18, 19], cvcLength: 3 },
  rupay: { lengths: [16], cvcLength: 3 },
};
