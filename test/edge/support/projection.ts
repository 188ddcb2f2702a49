import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import type { PaymentEventMessage } from "../../../common/payment-event-message.js";
import worker from "../../../workers/index.js";

/** Builds `payment-events` messages as the orchestrator's outbox does, and feeds them to the consumer. */
let serial = 0;

export function transition(
  merchantId: string,
  paymentId: string,
  version: number,
  status: string,
  old: string | null,
  livemode = false,
): PaymentEventMessage & { payment: { processor: string } } {
  const at = new Date(Date.UTC(2026, 10, 25, 12, 0, version)).toISOString();
  const captured = status === "captured" || status === "partially_refunded" ? 1_000 : 0;
  return {
    payment: {
      id: paymentId,
      merchant_id: merchantId,
      livemode,
      idempotency_key: `order-${paymentId}`,
      amount: 1_000,
      currency: "USD",
      status,
      capture_method: "manual",
      payment_method_type: "card",
      card_token: "tok_projection",
      processor: "visa",
      processor_response: null,
      decline_code: null,
      amount_capturable: status === "authorized" ? 1_000 : 0,
      amount_captured: captured,
      amount_refunded: status === "partially_refunded" ? 400 : 0,
      customer_id: null,
      description: null,
      metadata: { order: "42" },
      version,
      created_at: "2026-11-25T12:00:00.000Z",
      updated_at: at,
    },
    event: {
      sequence: version,
      event_type: `payment.${status}`,
      old_status: old,
      new_status: status,
      metadata: {},
      created_at: at,
    },
    refunds:
      status === "partially_refunded"
        ? [
            {
              id: `re_${paymentId}`,
              payment_id: paymentId,
              merchant_id: merchantId,
              idempotency_key: null,
              amount: 400,
              currency: "USD",
              status: "succeeded" as const,
              reason: "requested_by_customer",
              failure_code: null,
              version: 1,
              created_at: at,
              updated_at: at,
            },
          ]
        : [],
  } satisfies PaymentEventMessage;
}

export async function deliver(messages: PaymentEventMessage[], environment: Env = env) {
  const batch = createMessageBatch<PaymentEventMessage>(
    "payment-events",
    messages.map((body) => ({ id: `m${++serial}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await (worker.queue as ExportedHandlerQueueHandler<Env>)(batch, environment, ctx);
  return getQueueResult(batch, ctx);
}
