import type { ProcessorId } from "../../../common/processor-registry.js";
import type { LEGACY_PROCESSORS } from "../../../common/vault-internal-api.js";

export type OperationKind = "authorize" | "capture" | "void" | "refund";

/** How an operation ended. `not_sent`: it never reached the processor, so nothing happened. */
export type OperationResult = "succeeded" | "declined" | "no_effect" | "not_sent" | "card_not_supported";

/**
 * DESIGN invariant 4a: what the payment object is about to ask the processor, written to its
 * storage before the call, in the same transaction as the payment's move to an in-flight state.
 * Whatever happens next (timeout, lost reply, eviction, a vault restart) the alarm finds it and
 * resolves it by inquiry, by its id, which the vault journals under the same id.
 */
export interface OperationIntent {
  id: string;
  kind: OperationKind;
  amount: number;
  /** Where it goes: the attempt's candidate, or the payment's processor (a card network, for a legacy payment). */
  processor: ProcessorId | (typeof LEGACY_PROCESSORS)[number] | null;
  /** The authorization's reference, for follow-ups (capture, void, refund). */
  processor_reference: string | null;
  /** The refund this operation creates, and the merchant's reason for it (refunds only). */
  refund_id: string | null;
  refund_reason: string | null;
  /** The merchant's Idempotency-Key for a refund (the refund object shows it). */
  idempotency_key?: string | null;
  /** Why the object started it: a merchant's request, or the authorization window ending. */
  reason: "api" | "authorization_expired";
  /** Epoch ms: the vault sends nothing after it, and answers before it. */
  deadline: number;
  state: "pending" | "done";
  /** Shown to the merchant as pending (an event was logged): its end is then logged too. */
  announced: boolean;
  /** Epoch ms of the next inquiry while pending. */
  resolve_at: number | null;
  inquiries: number;
  result: OperationResult | null;
  decline_code: string | null;
  created_at: string;
  /**
   * A UPI operation's transaction id at the switch (the payment's ReqPay, or a refund's): the
   * callbacks and status checks name it, not the operation id (absent for card operations).
   */
  upi_txn_id?: string;
  /**
   * A wallet follow-up's resource at the wallet (its capture or refund), once an answer named one
   * still PENDING: asked about by GET from then on (absent for other operations).
   */
  wallet_reference?: string;
  /**
   * A wallet payment's authorization: the order's capture or authorize, once sent (persisted
   * before the call). An order found waiting for its payer after it was sent means the wallet
   * refused it (a declined instrument returns the order to the payer): the same request is asked
   * again, and its answer decides.
   */
  wallet_action?: "capture" | "authorize";
}

/** `op_<the payment's id>_<n>`: unique per payment, readable in both zones' logs. */
export function operationId(paymentId: string, n: number): string {
  return `op_${paymentId.replace(/^pay_/, "")}_${n}`;
}
