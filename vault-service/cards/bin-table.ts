import type { CardBrand, CardFunding } from "./card-brands.js";

/** What a BIN (the leading 6-8 digits, ISO/IEC 7812's issuer identification number) tells us. */
export interface BinInfo {
  brand: CardBrand;
  funding: CardFunding;
  /** ISO 3166-1 alpha-2 country of the issuer, when known. */
  country: string | null;
}

interface BinRange extends BinInfo {
  low: string;
  high: string;
}

const range = (low: string, high: string, brand: CardBrand, country: string | null = null): BinRange => ({
  low,
  high,
  brand,
  funding: "unknown",
  country,
});
const bin = (prefix: string, brand: CardBrand, funding: CardFunding, country: string): BinRange => ({
  low: prefix,
  high: prefix,
  brand,
  funding,
  country,
});

/**
 * A small bundled table: each network's published IIN ranges (brand only), then issuer BINs we
 * know more about, which are the test cards merchants use. The longest matching prefix wins (and
 * among equally long ones the later entry), so an issuer BIN refines its network's range. Visa and Mastercard moved to 8-digit BINs in 2022, and
 * a few entries below are longer still, which the lookup handles the same way. A production table
 * comes from the acquirer's BIN file; the shape stays.
 */
const TABLE: readonly BinRange[] = [
  // Networks (ISO/IEC 7812 registrations as the networks publish them).
  range("4", "4", "visa"),
  range("51", "55", "mastercard"),
  range("2221", "2720", "mastercard"),
  range("34", "34", "amex"),
  range("37", "37", "amex"),
  range("6011", "6011", "discover"),
  range("644", "649", "discover"),
  range("65", "65", "discover"),
  range("3528", "3589", "jcb", "JP"),
  range("300", "305", "diners"),
  range("3095", "3095", "diners"),
  range("36", "36", "diners"),
  range("38", "39", "diners"),
  range("62", "62", "unionpay", "CN"),
  range("508500", "508999", "rupay", "IN"),
  range("606985", "607984", "rupay", "IN"),
  range("608001", "608500", "rupay", "IN"),
  range("652150", "653149", "rupay", "IN"),
  // Issuer BINs: the documented test cards (Stripe's numbers, which merchants already know).
  bin("424242", "visa", "credit", "US"),
  bin("400000", "visa", "credit", "US"),
  bin("400005", "visa", "debit", "US"),
  bin("410000", "visa", "credit", "US"),
  bin("400000076", "visa", "credit", "BR"),
  bin("400000124", "visa", "credit", "CA"),
  bin("555555", "mastercard", "credit", "US"),
  bin("520082", "mastercard", "debit", "US"),
  bin("510510", "mastercard", "prepaid", "US"),
  bin("222300", "mastercard", "credit", "US"),
  bin("378282", "amex", "credit", "US"),
  bin("371449", "amex", "credit", "US"),
  bin("601111", "discover", "credit", "US"),
  bin("353011", "jcb", "credit", "JP"),
  bin("305693", "diners", "credit", "US"),
  bin("620000", "unionpay", "credit", "CN"),
  bin("652150", "rupay", "debit", "IN"),
];

/** The most specific entry covering `pan`'s leading digits, or undefined for an unknown network. */
export function lookupBin(pan: string): BinInfo | undefined {
  let best: BinRange | undefined;
  for (const entry of TABLE) {
    const prefix = pan.slice(0, entry.low.length);
    if (prefix.length !== entry.low.length || prefix < entry.low || prefix > entry.high) continue;
    if (!best || entry.low.length >= best.low.length) best = entry;
  }
  return best && { brand: best.brand, funding: best.funding, country: best.country };
}
