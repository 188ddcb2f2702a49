import type { PaymentStatus } from "../../db/schema/payments.js";

/**
 * The seed's payment state machine as one table: for each status, the statuses it may move to.
 * CREATED -> PROCESSING -> AUTHORIZED -> CAPTURED; FAILED from CREATED or PROCESSING; VOIDED
 * (cancel) from AUTHORIZED; REFUNDED, partially or fully, from CAPTURED. Every write checks it.
 */
export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  created: ["processing", "failed"],
  processing: ["authorized", "failed"],
  authorized: ["captured", "voided"],
  captured: ["partially_refunded", "refunded"],
  partially_refunded: ["partially_refunded", "refunded"],
  refunded: [],
  failed: [],
  voided: [],
};

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[from].includes(to);
}

export function isTerminal(status: PaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[status].length === 0;
}
