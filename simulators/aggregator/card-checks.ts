import type { z } from "zod";
import { luhnValid } from "../../common/card-like-text.js";
import type { cardParams } from "./params.js";
import { StripeFailure } from "./stripe-error.js";
import { brandOf } from "./test-cards.js";

export interface CheckedCard {
  number: string;
  brand: string;
  expMonth: number;
  expYear: number;
  cvc: string | null;
}

/**
 * The checks Stripe makes on raw card details before any issuer sees them, each refused as a 402
 * `card_error` naming the field (docs.stripe.com/error-codes): a number that is not 12-19 digits
 * (`invalid_number`) or fails Luhn (`incorrect_number`), a month outside 1-12, an expiry in the
 * past, a security code of the wrong length (4 digits on Amex, 3 elsewhere). Nothing is booked.
 */
export function checkCard(card: z.output<typeof cardParams>, now: Date): CheckedCard {
  const number = card.number.replace(/[\s-]/g, "");
  const param = (field: string) => `payment_method_data[card][${field}]`;
  if (!/^\d{12,19}$/.test(number)) throw cardError("invalid_number", "Your card number is invalid.", param("number"));
  if (!luhnValid(number)) throw cardError("incorrect_number", "Your card number is incorrect.", param("number"));
  if (card.exp_month < 1 || card.exp_month > 12) {
    throw cardError("invalid_expiry_month", "Your card's expiration month is invalid.", param("exp_month"));
  }
  const expYear = card.exp_year < 100 ? 2000 + card.exp_year : card.exp_year;
  const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
  if (expYear * 12 + card.exp_month < thisMonth || expYear > now.getUTCFullYear() + 50) {
    throw cardError("invalid_expiry_year", "Your card's expiration year is invalid.", param("exp_year"));
  }
  const brand = brandOf(number);
  if (card.cvc !== undefined && !new RegExp(`^\\d{${brand === "amex" ? 4 : 3}}$`).test(card.cvc)) {
    throw cardError("invalid_cvc", "Your card's security code is invalid.", param("cvc"));
  }
  return { number, brand, expMonth: card.exp_month, expYear, cvc: card.cvc ?? null };
}

function cardError(code: string, message: string, param: string): StripeFailure {
  return new StripeFailure(402, { type: "card_error", code, message, param });
}
