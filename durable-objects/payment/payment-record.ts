import type { Owner } from "../../common/owner.js";
import type {
  ProjectedPayment,
  ProjectedRefund,
  ProjectedUpi,
  ProjectedWallet,
} from "../../common/payment-event-message.js";
import type { StageSplit } from "../../workers/middleware/server-timing/stage-timings.js";
import type { PaymentRouting } from "./payment-routing.js";

/**
 * The orchestrator's own record of its payment: the projection's shape, plus what only the object
 * needs (kept out of queue messages by `PaymentStore`).
 */
export interface PaymentRecord extends ProjectedPayment {
  processor_reference: string | null;
  /** A manual-capture authorization not captured by then is voided by the alarm. */
  void_at: string | null;
  /** Releases of that authorization the processor refused so far (their retries back off). */
  void_failures?: number;
  /** The create request's hash: a reused create key is compared with it even after the key expired. */
  request_hash?: string;
  /** Operations started so far: the next operation id's suffix. */
  operations?: number;
  /** The router's decision its attempts walk; null (or absent, in older payments) when the vault routed it. */
  routing?: PaymentRouting | null;
  /** A wallet payment's return and cancel pages on the gateway, which the wallet sends the payer back to. */
  wallet_pages?: { return_url: string; cancel_url: string } | null;
  /** The merchant's name the wallet's approval page shows. */
  wallet_brand?: string;
}

export type RefundRecord = ProjectedRefund;

/** Who asks: a merchant, through a key of one mode. */
export type PaymentCaller = Owner;

/**
 * Tenancy and mode (DESIGN invariant 6): a payment is there only for its own merchant, in its own
 * mode. Another merchant's, or the other mode's, answers as a missing one does (404, not 403).
 */
export function visibleTo(payment: PaymentRecord | null, caller: PaymentCaller): payment is PaymentRecord {
  return payment !== null && payment.merchant_id === caller.merchantId && payment.livemode === caller.livemode;
}

/** An HTTP answer built inside the object, stored as is for idempotent replay. */
export interface PaymentReply {
  status: number;
  body: unknown;
  replayed?: boolean;
  /** The object's vault and network milliseconds, for the edge's Server-Timing header (when on). */
  timing?: StageSplit;
}

/** A new payment in `created`, version 1: what the orchestrator stores before anything happens. */
export function newPaymentRecord(fields: {
  id: string;
  merchantId: string;
  livemode: boolean;
  idempotencyKey: string | null;
  amount: number;
  currency: string;
  captureMethod: "automatic" | "manual";
  /** A card payment's token; null for UPI. */
  token: string | null;
  /** A UPI payment's flow, payer and switch ids; absent for a card. */
  upi?: ProjectedUpi | null;
  /** A wallet payment's return pages and order lifetime; absent for a card or UPI. */
  wallet?: ProjectedWallet | null;
  customerId: string | null;
  description: string | null;
  metadata: Record<string, string>;
  requestHash: string;
  routing?: PaymentRouting | null;
}): PaymentRecord {
  const now = new Date().toISOString();
  return {
    id: fields.id,
    merchant_id: fields.merchantId,
    livemode: fields.livemode,
    idempotency_key: fields.idempotencyKey,
    amount: fields.amount,
    currency: fields.currency,
    status: "created",
    capture_method: fields.captureMethod,
    payment_method_type: fields.upi ? "upi" : fields.wallet ? "paypal" : "card",
    card_token: fields.token,
    card: null,
    processor: null,
    processor_response: null,
    decline_code: null,
    amount_capturable: 0,
    amount_captured: 0,
    amount_refunded: 0,
    capture_status: null,
    pending_operation: null,
    customer_id: fields.customerId,
    description: fields.description,
    metadata: fields.metadata,
    version: 1,
    created_at: now,
    updated_at: now,
    processor_reference: null,
    void_at: null,
    request_hash: fields.requestHash,
    operations: 0,
    routing: fields.routing ?? null,
    upi: fields.upi ?? null,
    ...(fields.wallet ? { wallet: fields.wallet } : {}),
    next_action: null,
  };
}
