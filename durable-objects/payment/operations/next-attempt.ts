import type { CardProcessorId } from "../../../common/processor-registry.js";
import { vault } from "../../../workers/vault/vault-client.js";
import { pendingAttempt } from "../attempts.js";
import type { PaymentRecord } from "../payment-record.js";
import { attemptRouting, nextProcessor } from "../payment-routing.js";
import type { OperationIntent } from "./operation-intent.js";
import { admitNext } from "./probe-admission.js";
import { type OperationContext, startOperation } from "./start-operation.js";

/**
 * One authorization attempt at `processor` (null: the vault routes by the card's brand, for a
 * payment the edge could not route), through `startOperation`: intent, then call, then outcome.
 */
export function authorizeAt(
  context: OperationContext,
  processor: CardProcessorId | null,
  spec: { amount: number; paymentId?: string; inFlight: (operation: { id: string; created_at: string }) => void },
): Promise<OperationIntent> {
  return startOperation(
    context,
    { kind: "authorize", ...spec, ...(processor ? { processor } : {}) },
    (intent, payment) =>
      vault.authorize(context.env, {
        merchant_id: payment.merchant_id,
        payment_id: payment.id,
        token: payment.card_token ?? "",
        amount: payment.amount,
        currency: payment.currency,
        capture: payment.capture_method === "automatic",
        ...(processor ? { processor } : {}),
        operation_id: intent.id,
        deadline: intent.deadline,
        livemode: payment.livemode,
      }),
  );
}

/**
 * Failover (issue 13 item 6): while the payment is `processing` with no attempt in flight (the
 * last one failed in a way another processor may not), the next candidate gets a new attempt: a
 * new operation id and intent, written before its call, exactly as the first. Runs after the
 * first attempt and from the alarm once a pending attempt resolved; stops at an attempt left
 * pending (never two unknowns at once) and fails the payment when no attempt may follow.
 * Returns the last attempt it started, if any.
 */
export async function continueAuthorization(context: OperationContext): Promise<OperationIntent | undefined> {
  const { store } = context;
  let started: OperationIntent | undefined;
  for (;;) {
    const current = store.payment();
    if (current?.status !== "processing" || store.pendingOperation()) return started;
    // A UPI payment has one attempt, its ReqPay: once sent, no other processor may take it.
    if (current.payment_method_type !== "card") return started;
    const payment = await admittedNext(context, current);
    const processor = nextProcessor(payment, Date.now());
    if (!processor) {
      failWithLastAttempt(context, payment);
      return started;
    }
    const routing = payment.routing ? attemptRouting(payment.routing) : null;
    const inFlight = (operation: { id: string; created_at: string }) => {
      const attempt = pendingAttempt(operation.id, operation.created_at, processor, routing);
      store.record(
        "payment.attempt_started",
        { attempts: [...(payment.attempts ?? []), attempt] },
        { attempt: operation.id, processor },
      );
    };
    started = await authorizeAt(context, processor, { amount: payment.amount, inFlight });
  }
}

/** The payment with its next candidate admitted, or taken out of its routing when refused a probe slot. */
async function admittedNext(context: OperationContext, payment: PaymentRecord): Promise<PaymentRecord> {
  if (!payment.routing) return payment;
  const routing = await admitNext(context, payment.routing, payment.livemode, (candidates) =>
    nextProcessor({ ...payment, routing: candidates }, Date.now()),
  );
  return routing === payment.routing ? payment : context.store.patch({ routing });
}

/**
 * The last attempt failed over but no attempt may follow any more (the create's deadline passed
 * while the next one waited): the payment fails with that attempt's code.
 */
function failWithLastAttempt({ store }: OperationContext, payment: PaymentRecord): void {
  const last = payment.attempts?.at(-1);
  store.transition(
    "failed",
    {
      processor: last?.processor ?? null,
      processor_reference: last?.processor_reference ?? null,
      decline_code: last?.decline_code ?? "processing_error",
      processor_response: last?.network_code ? { network_response_code: last.network_code } : null,
    },
    { attempt: last?.id ?? null, reason: "no_attempt_left" },
  );
}
