import type { Decline } from "../decline-codes.js";

/**
 * ISO 8583:1987 field 39 response codes the card networks send, each mapped to an outcome.
 * The map is exhaustive over `ResponseCode` (the compiler checks it); a code outside the list is
 * handled explicitly by `interpretResponseCode`, never by a silent default.
 */
export const RESPONSE_CODES = {
  "00": "approved",
  "08": "approved", // honour with identification
  "10": "approved", // approved for partial amount
  "11": "approved", // approved (VIP)
  "85": "approved", // no reason to decline (account verification)
  "01": { code: "call_issuer", retry: "soft" },
  "02": { code: "call_issuer", retry: "soft" },
  "03": { code: "invalid_merchant", retry: "hard" },
  "04": { code: "pickup_card", retry: "hard" },
  "05": { code: "generic_decline", retry: "soft" },
  "06": { code: "processing_error", retry: "soft" },
  "07": { code: "pickup_card", retry: "hard" },
  "12": { code: "transaction_not_allowed", retry: "hard" },
  "13": { code: "invalid_amount", retry: "hard" },
  "14": { code: "incorrect_number", retry: "hard" },
  "15": { code: "invalid_account", retry: "hard" },
  "19": { code: "try_again_later", retry: "soft" },
  "25": { code: "processing_error", retry: "hard" }, // unable to locate the original record
  "30": { code: "processing_error", retry: "hard" },
  "41": { code: "lost_card", retry: "hard" },
  "43": { code: "stolen_card", retry: "hard" },
  "51": { code: "insufficient_funds", retry: "soft" },
  "54": { code: "expired_card", retry: "hard" },
  "55": { code: "incorrect_pin", retry: "soft" },
  "57": { code: "transaction_not_allowed", retry: "hard" },
  "58": { code: "transaction_not_allowed", retry: "hard" },
  "59": { code: "fraudulent", retry: "hard" },
  "61": { code: "withdrawal_count_limit_exceeded", retry: "soft" },
  "62": { code: "restricted_card", retry: "hard" },
  "63": { code: "security_violation", retry: "hard" },
  "65": { code: "card_velocity_exceeded", retry: "soft" },
  "75": { code: "pin_try_exceeded", retry: "hard" },
  "78": { code: "restricted_card", retry: "hard" },
  "82": { code: "incorrect_cvc", retry: "hard" },
  N7: { code: "incorrect_cvc", retry: "hard" }, // Visa: CVV2 failure
  "91": { code: "issuer_unavailable", retry: "soft" },
  "92": { code: "issuer_unavailable", retry: "soft" },
  "93": { code: "transaction_not_allowed", retry: "hard" },
  "94": { code: "duplicate_transaction", retry: "hard" },
  "96": { code: "processing_error", retry: "soft" },
} as const satisfies Record<string, "approved" | Decline>;

export type ResponseCode = keyof typeof RESPONSE_CODES;

export type ResponseOutcome = { approved: true } | { approved: false; decline: Decline };

function isResponseCode(code: string): code is ResponseCode {
  return Object.hasOwn(RESPONSE_CODES, code);
}

/** An unknown code is a decline we cannot classify: processing_error, soft, and logged by the caller. */
export function interpretResponseCode(code: string | undefined): ResponseOutcome & { recognized: boolean } {
  if (code === undefined || !isResponseCode(code)) {
    return { approved: false, decline: { code: "processing_error", retry: "soft" }, recognized: false };
  }
  const entry = RESPONSE_CODES[code];
  return entry === "approved"
    ? { approved: true, recognized: true }
    : { approved: false, decline: entry, recognized: true };
}
