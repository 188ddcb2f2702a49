import type { CardSummary } from "./vault-internal-api.js";

/**
 * What the payment orchestrator (one Durable Object per payment) puts on the `payment-events`
 * queue for every transition, from its outbox: the payment as it is after the transition, the
 * one event that records the transition, and any refund the transition created or changed. The
 * Postgres projection (`workers/payments/payment-projection.consumer.ts`) applies it idempotently,
 * so redelivery and reordering are harmless. Money is in minor units; times are ISO 8601.
 */
export interface ProjectedPayment {
  id: string;
  merchant_id: string;
  livemode: boolean;
  idempotency_key: string | null;
  amount: number;
  currency: string;
  status: string;
  capture_method: "automatic" | "manual";
  payment_method_type: string;
  card_token: string | null;
  /** The card's brand, last four and expiry, once the vault has seen the token (absent in older messages). */
  card?: CardSummary | null;
  processor: string | null;
  /** The processor's reference for the authorization (absent in messages from before it was sent). */
  processor_reference?: string | null;
  processor_response: Record<string, unknown> | null;
  decline_code: string | null;
  amount_capturable: number;
  amount_captured: number;
  amount_refunded: number;
  /**
   * A manual capture's fate once asked for: `pending` while its outcome is being resolved,
   * `failed` when the processor refused it or it had no effect (absent in older messages).
   */
  capture_status?: "pending" | "succeeded" | "failed" | null;
  /** The operation whose outcome is still being resolved with the processor, if any (absent in older messages). */
  pending_operation?: PendingOperationView | null;
  /** Its authorization attempts, oldest first (absent in older messages). */
  attempts?: ProjectedAttempt[];
  /** A UPI payment's details (absent for cards, and in older messages). */
  upi?: ProjectedUpi | null;
  /** A wallet payment's details (absent for cards and UPI, and in older messages). */
  wallet?: ProjectedWallet | null;
  /** What the payer must do before the payment can go on (`requires_action` only). */
  next_action?: ProjectedNextAction | null;
  customer_id: string | null;
  description: string | null;
  metadata: Record<string, string>;
  version: number;
  created_at: string;
  updated_at: string;
}

/**
 * One try at authorizing the payment at one processor (issue 13): the operation id the vault
 * journals it under, where it went, what came back and how long it took. A payment may have
 * several (failover); the payment's `processor` is the one that succeeded. Each has its own
 * processor reference, so reconciliation can tell them apart.
 */
export interface ProjectedAttempt {
  /** The operation id (`op_<payment>_<n>`). */
  id: string;
  status: "pending" | "succeeded" | "declined" | "failed";
  processor: string | null;
  processor_reference: string | null;
  /** The gateway's code for a decline or failure (`card_declined`, `processor_unavailable`, ...). */
  decline_code: string | null;
  /** The processor's own answer code, as it sent it (ISO 8583 field 39, or the aggregator's code). */
  network_code: string | null;
  /** The issuer's approval code (ISO 8583 field 38), for an approved attempt. */
  auth_code: string | null;
  /** From the attempt's start to its definite outcome, inquiries included. */
  latency_ms: number | null;
  /** The routing decision that chose the processor: null while the vault routes by brand alone. */
  routing: AttemptRouting | null;
  created_at: string;
  completed_at: string | null;
}

/** A UPI payment (issue 14): how the payer is asked, and the switch's ids for it. */
export interface ProjectedUpi {
  flow: "collect" | "intent";
  /** The payer's VPA: given for a collect; for an intent, learnt from the switch's answer. */
  vpa: string | null;
  /** The merchant's VPA the money is paid to, and the name the payer's app shows for it. */
  payee_vpa: string;
  payee_name: string;
  /** The switch's transaction id for the payment (35 characters, `GWY...`). */
  txn_id: string;
  /** The switch's RRN once it has said (the payment's processor reference too). */
  rrn: string | null;
  /** When the collect request or the intent lapses (ISO 8601). */
  expires_at: string;
}

/**
 * A wallet payment (issue 15): the order at the wallet the payer approves, where the payer goes
 * back to, and what the wallet made of it. Ids are the wallet's (PayPal's 17-character ids).
 */
export interface ProjectedWallet {
  /** The order, once the wallet has answered its creation. */
  order_id: string | null;
  /** The wallet's approval page for the order (the `payer-action` link): where the payer is sent. */
  approval_url: string | null;
  /** The merchant's pages the gateway's return page bounces the payer to. */
  return_url: string;
  cancel_url: string | null;
  /** The payer, once the order is approved. */
  payer_id: string | null;
  payer_email: string | null;
  /** The capture (automatic) or the authorization (manual) the order made. */
  capture_id: string | null;
  authorization_id: string | null;
  /** When the order lapses unless approved (the wallet forgets it then). */
  expires_at: string;
}

/** The payer's step a `requires_action` payment waits for. */
export type ProjectedNextAction =
  | { type: "upi_collect"; upi_collect: { vpa: string; expires_at: string } }
  | { type: "upi_intent"; upi_intent: { url: string; expires_at: string } }
  | { type: "redirect_to_url"; redirect_to_url: { url: string; return_url: string } };

/** Why an attempt went where it did: the rule that matched, the candidates in order, and who was skipped. */
export interface AttemptRouting {
  rule: string;
  candidates: string[];
  skipped: { processor: string; reason: string }[];
}

/** What a merchant sees of an operation in flight: its kind, amount, and since when. */
export interface PendingOperationView {
  type: "authorize" | "capture" | "cancel" | "refund";
  amount: number;
  refund: string | null;
  since: string;
}

export interface ProjectedEvent {
  /** 1, 2, 3... per payment, in transition order. */
  sequence: number;
  event_type: string;
  old_status: string | null;
  new_status: string;
  metadata: Record<string, unknown>;
  created_at: string;
  /** Who made the change happen (absent in older messages: the orchestrator's). */
  actor?: TransitionActor;
}

/**
 * Who made a payment's change happen, for the audit trail (PCI DSS 10.2.2): the merchant's API
 * key whose request it was (with that request's id), a processor's verified callback (the UPI
 * switch's RespPay, the wallet's webhook), or the orchestrator on its own (`system`: its alarm's
 * status checks, inquiries, expiries, the payer's return bounced through it).
 */
export interface TransitionActor {
  kind: "api_key" | "processor" | "system";
  id: string;
  request_id: string | null;
}

/** The orchestrator acting on its own: its alarm, or work no request or processor asked for. */
export const ORCHESTRATOR: TransitionActor = { kind: "system", id: "payment_object", request_id: null };

export interface ProjectedRefund {
  id: string;
  payment_id: string;
  merchant_id: string;
  idempotency_key: string | null;
  amount: number;
  currency: string;
  status: "pending" | "succeeded" | "failed";
  reason: string | null;
  failure_code: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PaymentEventMessage {
  payment: ProjectedPayment;
  event: ProjectedEvent;
  refunds: ProjectedRefund[];
}
