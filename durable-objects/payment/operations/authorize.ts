import { vault } from "../../../workers/vault/vault-client.js";
import { pendingAttempt } from "../attempts.js";
import type { CreatePaymentInput } from "../payment.object.js";
import { newPaymentRecord } from "../payment-record.js";
import type { OperationIntent } from "./operation-intent.js";
import { type OperationContext, startOperation } from "./start-operation.js";

/**
 * Create: validate (done at the route) -> persist the payment and the authorization intent with
 * the move to `processing` -> call the vault -> persist the outcome (or leave it pending).
 */
export async function authorize(context: OperationContext, input: CreatePaymentInput): Promise<OperationIntent> {
  const { store } = context;
  // The attempt is written with the move to `processing`, so the projection sees it from the start.
  const inFlight = (operation: { id: string; created_at: string }) => {
    store.create(newPaymentRecord({ ...input, id: input.paymentId }));
    store.transition("processing", { attempts: [pendingAttempt(operation.id, operation.created_at)] });
  };
  const spec = { kind: "authorize" as const, amount: input.amount, paymentId: input.paymentId, inFlight };
  return startOperation(context, spec, (intent, payment) =>
    vault.authorize(context.env, {
      merchant_id: input.merchantId,
      payment_id: input.paymentId,
      token: input.token,
      amount: input.amount,
      currency: input.currency,
      capture: input.captureMethod === "automatic",
      operation_id: intent.id,
      deadline: intent.deadline,
      livemode: payment.livemode,
    }),
  );
}
