import type { FollowUpRequest, Processor } from "../../../common/vault-internal-api.js";
import { vault } from "../../../workers/vault/vault-client.js";
import type { PaymentRecord } from "../payment-record.js";
import type { OperationIntent, OperationKind } from "./operation-intent.js";
import { type OperationContext, startOperation } from "./start-operation.js";

/**
 * The vault request for a follow-up operation: it names the authorization by its reference, and
 * goes out in the payment's own mode (so an expired authorization's release, which no caller
 * asked for, goes where the authorization went).
 */
function followUpRequest(intent: OperationIntent, payment: PaymentRecord): FollowUpRequest {
  return {
    payment_id: payment.id,
    processor: payment.processor as Processor,
    processor_reference: payment.processor_reference ?? "",
    amount: intent.amount,
    currency: payment.currency,
    operation_id: intent.id,
    deadline: intent.deadline,
    livemode: payment.livemode,
  };
}

const CALLS = {
  capture: vault.capture,
  void: vault.void,
  refund: vault.refund,
} as const satisfies Record<Exclude<OperationKind, "authorize">, unknown>;

/**
 * Capture, void and refund: each checked by its caller, then intent -> call -> outcome through
 * `startOperation`, so a lost answer leaves it pending for the alarm, never guessed.
 */
export function followUp(
  context: OperationContext,
  kind: Exclude<OperationKind, "authorize">,
  spec: {
    amount: number;
    reason?: OperationIntent["reason"];
    refundId?: string;
    refundReason?: string | null;
    refundKey?: string | null;
  },
): Promise<OperationIntent> {
  return startOperation(context, { kind, ...spec }, (intent, payment) =>
    CALLS[kind](context.env, followUpRequest(intent, payment)),
  );
}
