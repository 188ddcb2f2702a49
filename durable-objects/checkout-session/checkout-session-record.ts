import type { HostedMethod } from "../../workers/checkout/checkout-sessions.schemas.js";

/**
 * A hosted checkout session as its Durable Object stores it. The session owns one transition,
 * exactly once: `open` -> `complete` (its payment succeeded) or `open` -> `expired` (its time ran
 * out, or the merchant expired it). `payment_status` says where the money is meanwhile.
 */
export type CheckoutSessionStatus = "open" | "complete" | "expired";

/** The methods whose payment waits for the payer elsewhere: the wallet's page, the payer's UPI app. */
export type ApprovalMethod = Extract<HostedMethod, "paypal" | "upi">;

/** Stripe's vocabulary: `processing` while a payment's outcome is being resolved with its processor. */
export type CheckoutPaymentStatus = "unpaid" | "processing" | "paid";

/** The only transitions a session makes (checked on every write). */
const ALLOWED: Record<CheckoutSessionStatus, readonly CheckoutSessionStatus[]> = {
  open: ["complete", "expired"],
  complete: [],
  expired: [],
};

export function canMove(from: CheckoutSessionStatus, to: CheckoutSessionStatus): boolean {
  return ALLOWED[from].includes(to);
}

export interface CheckoutSessionRecord {
  id: string;
  merchant_id: string;
  livemode: boolean;
  status: CheckoutSessionStatus;
  payment_status: CheckoutPaymentStatus;
  /** The payment of the latest attempt (a declined one stays here until the next try). */
  payment: string | null;
  amount: number;
  /** ISO 4217, upper case as stored on payments. */
  currency: string;
  success_url: string;
  cancel_url: string;
  payment_method_types: readonly HostedMethod[];
  description: string | null;
  metadata: Record<string, string>;
  /** Epoch milliseconds. */
  expires_at: number;
  created_at: number;
  /** Where the page is served: the origin the session was created at (the gateway's own). */
  page_origin: string;
  /** The merchant's name, shown on the page. */
  merchant_name: string;
  /**
   * The page's secret: embedded in the page and required on its pay request, so only a page the
   * gateway served for this session can pay it (a cross-site form post cannot know it).
   */
  page_secret: string;
  /** The publishable key the page's card frame tokenizes with (public by design, never a secret key). */
  publishable_key: string;
  idempotency_key: string | null;
  request_hash: string;
  /**
   * The payment waiting for the payer: at the wallet's approval page (PayPal), or in their UPI app
   * (a collect request). Absent on sessions stored before either was offered. Its outcome is asked
   * of the payment itself, never taken from the payer's browser; cancelling at the wallet leaves
   * it waiting (the payer may go back).
   */
  awaiting_approval?: { payment: string; method: ApprovalMethod } | null;
  /** Why the last try failed, for the page (a decline leaves the session open for another card). */
  last_error: { code: string; message: string } | null;
  version: number;
}

/** The session as the API shows it (Stripe's Checkout Session shape, in this gateway's units). */
export function checkoutSessionView(session: CheckoutSessionRecord) {
  return {
    id: session.id,
    object: "checkout.session" as const,
    url: session.status === "open" ? `${session.page_origin}/checkout/${session.id}` : null,
    status: session.status,
    payment_status: session.payment_status,
    payment: session.payment,
    amount: session.amount,
    currency: session.currency.toLowerCase(),
    payment_method_types: session.payment_method_types,
    success_url: session.success_url,
    cancel_url: session.cancel_url,
    description: session.description,
    metadata: session.metadata,
    expires_at: Math.floor(session.expires_at / 1000),
    livemode: session.livemode,
    created: Math.floor(session.created_at / 1000),
  };
}

export type CheckoutSessionView = ReturnType<typeof checkoutSessionView>;
