import type { PaymentReply } from "../payment/payment-record.js";

/** What a payment's answer means for its session. */
export type PaymentOutcome =
  | { kind: "paid"; payment: string }
  | { kind: "processing"; payment: string }
  | { kind: "unpaid"; payment: string | null; error: { code: string; message: string } };

interface PaymentLike {
  id?: string;
  status?: string;
}

const PAID = new Set(["authorized", "captured", "partially_refunded", "refunded"]);

/**
 * Reads a payment object's answer (or a payment as retrieved) the way the session needs it: paid
 * once the card was authorized (automatic capture follows in the same object), processing while
 * the outcome is being resolved (DESIGN invariant 4: never guessed), unpaid otherwise, with the
 * reason the customer is shown. A decline is an answer, not an error: the session stays open.
 */
export function paymentOutcome(reply: PaymentReply): PaymentOutcome {
  const body = (reply.body ?? {}) as PaymentLike & {
    error?: { code?: string; message?: string; payment?: PaymentLike };
  };
  const payment = body.error ? (body.error.payment ?? {}) : body;
  return outcomeOf(payment, body.error);
}

export function outcomeOf(payment: PaymentLike, error?: { code?: string; message?: string }): PaymentOutcome {
  const id = typeof payment.id === "string" ? payment.id : null;
  if (id && payment.status && PAID.has(payment.status)) return { kind: "paid", payment: id };
  if (id && payment.status === "processing") return { kind: "processing", payment: id };
  return {
    kind: "unpaid",
    payment: id,
    error: {
      code: error?.code ?? "payment_failed",
      message: error?.message ?? "The payment did not go through. Try another card.",
    },
  };
}
