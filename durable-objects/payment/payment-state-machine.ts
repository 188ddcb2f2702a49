import type { PaymentStatus } from "../../db/schema/payments.js";

/**
 * The seed's payment state machine as one table: for each status, the statuses it may move to.
 * CREATED -> PROCESSING -> AUTHORIZED -> CAPTURED; FAILED from CREATED or PROCESSING; VOIDED
 * (cancel) from AUTHORIZED; REFUNDED, partially or fully, from CAPTURED. Every write checks it.
 *
 * UPI (issue 14) adds three moves, each its own named transition:
 * - PROCESSING -> REQUIRES_ACTION: the switch took the request; the payer must approve in their app;
 * - PROCESSING | REQUIRES_ACTION -> CAPTURED: UPI is single-message, the debit is the capture, so
 *   there is no AUTHORIZED step (and from PROCESSING: the answer can overtake the switch's Ack);
 * - PROCESSING | REQUIRES_ACTION -> EXPIRED: the collect or intent lapsed unpaid (NPCI U69), an
 *   end of its own, not a decline.
 * REQUIRES_ACTION also ends FAILED (the payer declined, the debit failed).
 *
 * The wallet (issue 15) adds one: REQUIRES_ACTION -> PROCESSING, the payer approved the order at
 * the wallet and the gateway captures (CAPTURED) or authorizes (AUTHORIZED) it from there.
 */
export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  created: ["processing", "failed"],
  processing: ["authorized", "failed", "requires_action", "captured", "expired"],
  requires_action: ["processing", "captured", "failed", "expired"],
  authorized: ["captured", "voided"],
  captured: ["partially_refunded", "refunded"],
  partially_refunded: ["partially_refunded", "refunded"],
  refunded: [],
  failed: [],
  voided: [],
  expired: [],
};

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[from].includes(to);
}

export function isTerminal(status: PaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[status].length === 0;
}
