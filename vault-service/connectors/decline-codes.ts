/**
 * The gateway's unified decline vocabulary (Stripe's `decline_code` names), shared by every
 * connector. `soft` declines may succeed on a later retry (funds, issuer availability); `hard`
 * ones will not, and a merchant must not retry them (card network retry rules).
 */
export type DeclineCode =
  | "generic_decline"
  | "call_issuer"
  | "pickup_card"
  | "invalid_merchant"
  | "transaction_not_allowed"
  | "invalid_amount"
  | "incorrect_number"
  | "invalid_account"
  | "try_again_later"
  | "lost_card"
  | "stolen_card"
  | "insufficient_funds"
  | "expired_card"
  | "incorrect_pin"
  | "fraudulent"
  | "withdrawal_count_limit_exceeded"
  | "card_velocity_exceeded"
  | "restricted_card"
  | "security_violation"
  | "pin_try_exceeded"
  | "incorrect_cvc"
  | "issuer_unavailable"
  | "duplicate_transaction"
  | "processing_error"
  | "currency_not_supported";

export interface Decline {
  code: DeclineCode;
  retry: "soft" | "hard";
}
