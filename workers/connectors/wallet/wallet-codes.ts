/**
 * PayPal's issue names (`details[0].issue` of a 4xx; OAuth's `error` from the token endpoint) and
 * what each means to the gateway. Sources (../shared/notes/processors.md §2):
 * - [failures] developer.paypal.com/api/handle-payment-failures (INSTRUMENT_DECLINED, CARD_EXPIRED,
 *   ORDER_NOT_APPROVED, MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED, REDIRECT_PAYER_FOR_ALTERNATE_FUNDING,
 *   CURRENCY_NOT_SUPPORTED, PAYMENT_DENIED);
 * - [openapi] the 422 issues of PayPal's Orders v2 and Payments v2 OpenAPI, as
 *   simulators/wallet/paypal-error.ts lists them;
 * - [sdk] PayPal's server SDK `ReasonCode` (PAYER_CANNOT_PAY, PAYER_ACCOUNT_RESTRICTED,
 *   PAYEE_ACCOUNT_RESTRICTED, SENDING_LIMIT_EXCEEDED, TRANSACTION_RECEIVING_LIMIT_EXCEEDED).
 * Kinds:
 * - `declined`: the payer's PayPal account or its funding refused the payment; the attempt fails
 *   (PayPal would have the payer pick another funding source, which is a new approval);
 * - `not_approved`: the payer has not approved the order (yet): wait for the payer or the expiry;
 * - `already_done`: the action was taken before (by an earlier call, or the other of return and
 *   webhook): nothing new happened, and a GET says what the first one did;
 * - `not_found`: no such resource: an unapproved order PayPal forgot at its expiry, or not ours;
 * - `refused`: this request was refused on the resource's state or amounts; nothing happened;
 * - `technical`: the gateway's request or credentials are wrong; nothing happened; an operator
 *   must look. Every refusal is definite: no kind means "unknown".
 */
export type WalletIssueKind = "declined" | "not_approved" | "already_done" | "not_found" | "refused" | "technical";

export interface WalletIssueMeaning {
  kind: WalletIssueKind;
  declineCode: string;
}

const meaning = (kind: WalletIssueKind, declineCode: string): WalletIssueMeaning => ({ kind, declineCode });

export const WALLET_ISSUES: Readonly<Record<string, WalletIssueMeaning>> = {
  INSTRUMENT_DECLINED: meaning("declined", "wallet_instrument_declined"), // [failures]
  REDIRECT_PAYER_FOR_ALTERNATE_FUNDING: meaning("declined", "wallet_instrument_declined"), // [failures]
  CARD_EXPIRED: meaning("declined", "wallet_card_expired"), // [failures]
  MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED: meaning("declined", "wallet_too_many_attempts"), // [failures]
  PAYMENT_DENIED: meaning("declined", "wallet_payment_denied"), // [failures], [sdk]
  PAYER_CANNOT_PAY: meaning("declined", "wallet_payer_cannot_pay"), // [sdk]
  PAYER_ACCOUNT_RESTRICTED: meaning("declined", "wallet_payer_account_restricted"), // [sdk]
  SENDING_LIMIT_EXCEEDED: meaning("declined", "wallet_limit_exceeded"), // [sdk]
  TRANSACTION_RECEIVING_LIMIT_EXCEEDED: meaning("declined", "wallet_limit_exceeded"), // [sdk], the merchant's limit
  PAYEE_ACCOUNT_RESTRICTED: meaning("declined", "wallet_payee_account_restricted"), // [sdk], the merchant's account
  ORDER_NOT_APPROVED: meaning("not_approved", "wallet_order_not_approved"), // [failures], [openapi]
  ORDER_ALREADY_CAPTURED: meaning("already_done", "wallet_order_already_captured"), // [openapi]
  ORDER_ALREADY_AUTHORIZED: meaning("already_done", "wallet_order_already_authorized"), // [openapi]
  AUTHORIZATION_ALREADY_CAPTURED: meaning("already_done", "wallet_authorization_already_captured"), // [openapi]
  PREVIOUSLY_CAPTURED: meaning("already_done", "wallet_authorization_already_captured"), // [openapi], on void
  PREVIOUSLY_VOIDED: meaning("already_done", "wallet_authorization_voided"), // [openapi], on void
  CAPTURE_FULLY_REFUNDED: meaning("already_done", "wallet_capture_fully_refunded"), // [openapi]
  INVALID_RESOURCE_ID: meaning("not_found", "wallet_resource_not_found"), // [openapi], the 404's issue
  RESOURCE_NOT_FOUND: meaning("not_found", "wallet_resource_not_found"), // the 404's name
  AUTHORIZATION_VOIDED: meaning("refused", "wallet_authorization_voided"), // [openapi], on capture
  AUTHORIZATION_EXPIRED: meaning("refused", "wallet_authorization_expired"), // [openapi]
  MAX_CAPTURE_AMOUNT_EXCEEDED: meaning("refused", "wallet_amount_exceeded"), // [openapi]
  REFUND_AMOUNT_EXCEEDED: meaning("refused", "wallet_amount_exceeded"), // [openapi]
  REFUND_NOT_ALLOWED: meaning("refused", "wallet_refund_not_allowed"), // [openapi]
  /** A refund of a capture still PENDING: refused now, possible once it completes. */
  PENDING_CAPTURE: meaning("refused", "wallet_capture_pending"), // [openapi]
  CURRENCY_NOT_SUPPORTED: meaning("refused", "wallet_currency_not_supported"), // [failures]
  INVALID_CURRENCY_CODE: meaning("refused", "wallet_currency_not_supported"), // [openapi]
  DECIMALS_NOT_SUPPORTED: meaning("refused", "wallet_amount_invalid"), // [openapi]
  DECIMAL_PRECISION: meaning("refused", "wallet_amount_invalid"), // [openapi]
  CANNOT_BE_ZERO_OR_NEGATIVE: meaning("refused", "wallet_amount_invalid"), // [openapi]
  MAX_VALUE_EXCEEDED: meaning("refused", "wallet_amount_invalid"), // [openapi]
  ACTION_DOES_NOT_MATCH_INTENT: meaning("technical", "processor_error"), // [openapi]: our bug
  AUTH_CAPTURE_CURRENCY_MISMATCH: meaning("technical", "processor_error"), // [openapi]
  REFUND_CAPTURE_CURRENCY_MISMATCH: meaning("technical", "processor_error"), // [openapi]
  /** A 401 the token could not cure: PayPal's AUTHENTICATION_FAILURE, OAuth's invalid_client. */
  AUTHENTICATION_FAILURE: meaning("technical", "processor_error"),
  invalid_client: meaning("technical", "processor_error"), // RFC 6749 §5.2
};

const UNKNOWN: WalletIssueMeaning = meaning("technical", "processor_error");

/** What an issue means; one not listed is `technical` (a definite refusal the gateway did not foresee). */
export function walletIssue(issue: string): WalletIssueMeaning {
  return Object.hasOwn(WALLET_ISSUES, issue) ? (WALLET_ISSUES[issue] as WalletIssueMeaning) : UNKNOWN;
}

/** The gateway's decline code for a PayPal issue (INSTRUMENT_DECLINED: `wallet_instrument_declined`). */
export function walletDeclineCode(issue: string): string {
  return walletIssue(issue).declineCode;
}
