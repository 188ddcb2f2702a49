import { pendingAttempt } from "../attempts.js";
import type { CreatePaymentInput } from "../payment.object.js";
import { newPaymentRecord } from "../payment-record.js";
import { attemptRouting, isCardProcessorId, type PaymentRouting, paymentRouting } from "../payment-routing.js";
import { authorizeAt, continueAuthorization } from "./next-attempt.js";
import type { OperationIntent } from "./operation-intent.js";
import { admitNext } from "./probe-admission.js";
import type { OperationContext } from "./start-operation.js";

/**
 * Create: validate and decide the route (done at the edge route, which has the database) ->
 * persist the payment and its first attempt's intent with the move to `processing` -> call the
 * vault at the first candidate -> persist the outcome (or leave it pending), then fail over
 * while the outcome allows it. Returns the last attempt's operation, the one that answers the
 * merchant; none when no processor could take the payment and none was asked.
 */
export async function authorize(
  context: OperationContext,
  input: CreatePaymentInput,
): Promise<OperationIntent | undefined> {
  const { store } = context;
  const decided = input.routing ? paymentRouting(input.routing, Date.now()) : null;
  const routing = decided
    ? await admitNext(
        context,
        decided,
        input.livemode,
        (candidates) => candidates.candidates.find(isCardProcessorId) ?? null,
      )
    : null;
  const record = () => newPaymentRecord({ ...input, upi: null, id: input.paymentId, routing });
  const first = routing?.candidates.find(isCardProcessorId) ?? null;
  if (routing && first === null) {
    store.create(record());
    declineUnroutable(context, routing);
    return undefined;
  }
  // The attempt is written with the move to `processing`, so the projection sees it from the start.
  const inFlight = (operation: { id: string; created_at: string }) => {
    store.create(record());
    const attempt = pendingAttempt(operation.id, operation.created_at, first, routing && attemptRouting(routing));
    store.transition("processing", { attempts: [attempt] }, { attempt: operation.id, processor: first });
  };
  const intent = await authorizeAt(context, first, { amount: input.amount, paymentId: input.paymentId, inFlight });
  return (await continueAuthorization(context)) ?? intent;
}

/**
 * No processor can take the payment (every one skipped): it fails at once, and no one is asked.
 * A processor whose breaker is open may take it shortly (502, retry); otherwise the card, the
 * currency or the merchant's own rules shut every processor out (402).
 */
function declineUnroutable({ store }: OperationContext, routing: PaymentRouting): void {
  const down = routing.skipped.some(({ reason }) => reason === "circuit_open");
  store.transition(
    "failed",
    { decline_code: down ? "processor_unavailable" : "card_not_supported", processor_response: null },
    { rule: routing.rule, skipped: routing.skipped },
  );
}
