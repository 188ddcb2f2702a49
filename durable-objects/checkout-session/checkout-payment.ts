import type { PaymentReply } from "../payment/payment-record.js";
import type { ApprovalMethod } from "./checkout-session-record.js";

/** What a payment's answer means for its session. */
export type PaymentOutcome =
  | { kind: "paid"; payment: string }
  | { kind: "processing"; payment: string }
  /** Waiting for the payer: at the wallet's approval page (its URL), or in their UPI app. */
  | { kind: "approval"; payment: string; method: ApprovalMethod; url: string | null }
  | { kind: "unpaid"; payment: string | null; error: { code: string; message: string } };

interface PaymentLike {
  id?: string;
  status?: string;
  next_action?: { type?: string; redirect_to_url?: { url?: string } } | null;
}

const PAID = new Set(["authorized", "captured", "partially_refunded", "refunded"]);

/**
 * Reads a payment object's answer (or a payment as retrieved) the way the session needs it: paid
 * once the card was authorized (automatic capture follows in the same object), processing while
 * the outcome is being resolved (DESIGN invariant 4: never guessed), waiting for approval while the
 * payer is at the wallet or has a UPI collect request (its `next_action`), unpaid otherwise, with the
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
  if (id && payment.status === "requires_action") {
    const approvalUrl = payment.next_action?.redirect_to_url?.url;
    if (typeof approvalUrl === "string") return { kind: "approval", payment: id, method: "paypal", url: approvalUrl };
    if (payment.next_action?.type === "upi_collect") return { kind: "approval", payment: id, method: "upi", url: null };
  }
  return {
    kind: "unpaid",
    payment: id,
    error: {
      code: error?.code ?? "payment_failed",
      message: error?.message ?? "The payment did not go through. Try another card.",
    },
  };
}
