import { luhnValid } from "../../common/card-like-text.js";
import { type BinInfo, lookupBin } from "./bin-table.js";
import { BRAND_RULES } from "./card-brands.js";

export interface CardInput {
  /** Digits only (the schema strips the spaces and dashes people type). */
  number: string;
  expMonth: number;
  /** Four digits. */
  expYear: number;
  cvc: string;
}

/** Stripe's card error codes, so a checkout's existing messages keep working. */
export type CardProblemCode = "invalid_number" | "invalid_expiry_year" | "expired_card" | "invalid_cvc";

export interface CardProblem {
  code: CardProblemCode;
  /** The field at fault, inside `card`. */
  field: "number" | "exp_month" | "exp_year" | "cvc";
  message: string;
}

export type CardCheck = { ok: true; bin: BinInfo } | { ok: false; problem: CardProblem };

/** Cards are issued for at most a few years; further out is a typo (and outside `card_tokens`' range). */
const MAX_YEARS_AHEAD = 20;

/** ISO/IEC 7812-1 Annex B check digit (the Luhn formula), shared with the edge's free-text check. */
export { luhnValid };

/**
 * A card is good through the last day of its expiry month. Which day that is depends on where the
 * cardholder is, so the card counts as expired only once that month has ended everywhere: at
 * 12:00 UTC on the first of the next month (midnight at UTC-12). The issuer has the last word.
 */
export function isExpired(expMonth: number, expYear: number, now: Date): boolean {
  return now.getTime() >= Date.UTC(expYear, expMonth, 1, 12);
}

const problem = (code: CardProblemCode, field: CardProblem["field"], message: string): CardCheck => ({
  ok: false,
  problem: { code, field, message },
});

/**
 * Everything the vault can know about a card before an issuer sees it: the number's check digit,
 * network and length, the expiry, and the security code's length for the network. Messages are
 * safe to show a cardholder and never repeat what was typed.
 */
export function checkCard(card: CardInput, now: Date): CardCheck {
  const { number } = card;
  if (!/^\d{12,19}$/.test(number) || !luhnValid(number)) {
    return problem("invalid_number", "number", "Your card number is invalid.");
  }
  const bin = lookupBin(number);
  if (!bin) return problem("invalid_number", "number", "Your card number is not from a supported card network.");
  const rules = BRAND_RULES[bin.brand];
  if (!rules.lengths.includes(number.length)) {
    return problem("invalid_number", "number", "Your card number has the wrong number of digits.");
  }
  if (card.expYear > now.getUTCFullYear() + MAX_YEARS_AHEAD) {
    return problem("invalid_expiry_year", "exp_year", "Your card's expiration year is invalid.");
  }
  if (isExpired(card.expMonth, card.expYear, now)) {
    // Name the field the cardholder has to fix: the year if it is already past, else the month.
    const field = card.expYear < now.getUTCFullYear() ? "exp_year" : "exp_month";
    return problem("expired_card", field, "Your card has expired.");
  }
  if (card.cvc.length !== rules.cvcLength || !/^\d+$/.test(card.cvc)) {
    return problem("invalid_cvc", "cvc", `Your card's security code must be ${rules.cvcLength} digits.`);
  }
  return { ok: true, bin };
}
