import type { Decline } from "../decline-codes.js";

/**
 * The aggregator's decline answers (Stripe's `decline_code`, or its `code` when a card error has
 * none: docs.stripe.com/declines/codes and docs.stripe.com/error-codes), each as our decline. The
 * map is exhaustive over `AggregatorCode` (the compiler checks it); a code outside it is handled
 * explicitly by `interpretAggregatorCode`, never by a silent default.
 */
export const AGGREGATOR_CODES = {
  card_declined: { code: "generic_decline", retry: "soft" },
  generic_decline: { code: "generic_decline", retry: "soft" },
  do_not_honor: { code: "generic_decline", retry: "soft" },
  call_issuer: { code: "call_issuer", retry: "soft" },
  insufficient_funds: { code: "insufficient_funds", retry: "soft" },
  lost_card: { code: "lost_card", retry: "hard" },
  stolen_card: { code: "stolen_card", retry: "hard" },
  pickup_card: { code: "pickup_card", retry: "hard" },
  restricted_card: { code: "restricted_card", retry: "hard" },
  fraudulent: { code: "fraudulent", retry: "hard" },
  expired_card: { code: "expired_card", retry: "hard" },
  incorrect_cvc: { code: "incorrect_cvc", retry: "hard" },
  invalid_cvc: { code: "incorrect_cvc", retry: "hard" },
  incorrect_number: { code: "incorrect_number", retry: "hard" },
  invalid_number: { code: "incorrect_number", retry: "hard" },
  invalid_expiry_month: { code: "expired_card", retry: "hard" },
  invalid_expiry_year: { code: "expired_card", retry: "hard" },
  card_velocity_exceeded: { code: "card_velocity_exceeded", retry: "soft" },
  transaction_not_allowed: { code: "transaction_not_allowed", retry: "hard" },
  currency_not_supported: { code: "currency_not_supported", retry: "hard" },
  issuer_not_available: { code: "issuer_unavailable", retry: "soft" },
  try_again_later: { code: "try_again_later", retry: "soft" },
  processing_error: { code: "processing_error", retry: "soft" },
} as const satisfies Record<string, Decline>;

export type AggregatorCode = keyof typeof AGGREGATOR_CODES;

/** An unknown code is a decline we cannot classify: processing_error, soft. */
export function interpretAggregatorCode(code: string): Decline & { recognized: boolean } {
  if (!Object.hasOwn(AGGREGATOR_CODES, code)) return { code: "processing_error", retry: "soft", recognized: false };
  return { ...AGGREGATOR_CODES[code as AggregatorCode], recognized: true };
}
