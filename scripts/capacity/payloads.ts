import type { PaymentEventMessage, ProjectedPayment } from "../../common/payment-event-message.js";
import type { balanceTransactions } from "../../db/schema/balance-transactions.js";
import { paymentView } from "../../durable-objects/payment/payment-view.js";
import type { AuditEntry } from "../../workers/audit/audit-entry.js";
import { settlementCsvLine, settlementJsonItem } from "../../workers/settlement/settlement-files.js";

/**
 * Sizes measured, not guessed: a representative captured card payment is built in the types the
 * code uses and serialized by the code's own view and file builders. Ids have their real lengths
 * (`pay_` + 64 hex, `op_` + 64 hex + `_n`, `evt_`/`aud_` + 32).
 */
const at = "2026-11-20T12:00:00.000Z";
const hex = (n: number) => "a".repeat(n);
const paymentId = `pay_${hex(64)}`;

const payment: ProjectedPayment = {
  id: paymentId,
  merchant_id: `mer_${hex(24)}`,
  livemode: true,
  idempotency_key: "7f3c2a9e-1b4d-4c8e-9a2f-5e6d7c8b9a01",
  amount: 4_999,
  currency: "USD",
  status: "captured",
  capture_method: "automatic",
  payment_method_type: "card",
  card_token: `tok_${hex(32)}`,
  card: { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2030, funding: "credit", country: "US" },
  processor: "acquirer_a",
  processor_reference: "612345678901:123456",
  processor_response: null,
  decline_code: null,
  amount_capturable: 0,
  amount_captured: 4_999,
  amount_refunded: 0,
  capture_status: null,
  pending_operation: null,
  attempts: [
    {
      id: `op_${hex(64)}_1`,
      status: "succeeded",
      processor: "acquirer_a",
      processor_reference: "612345678901:123456",
      decline_code: null,
      network_code: "00",
      auth_code: "A1B2C3",
      latency_ms: 42,
      routing: { rule: "default", candidates: ["acquirer_a", "acquirer_b", "aggregator"], skipped: [] },
      created_at: at,
      completed_at: at,
    },
  ],
  upi: null,
  next_action: null,
  customer_id: "cus_123456789",
  description: "Order #100234",
  metadata: { order_id: "100234" },
  version: 4,
  created_at: at,
  updated_at: at,
};

const message: PaymentEventMessage = {
  payment,
  event: {
    sequence: 4,
    event_type: "payment.captured",
    old_status: "authorized",
    new_status: "captured",
    metadata: { amount: 4_999 },
    created_at: at,
    actor: { kind: "api_key", id: `key_${hex(24)}`, request_id: `req_${hex(24)}` },
  },
  refunds: [],
};

/** The object's own record adds what only it keeps (payment-record.ts): request hash, routing, counters. */
const record = {
  ...payment,
  void_at: null,
  request_hash: hex(64),
  operations: 1,
  routing: { rule: "default", candidates: ["acquirer_a", "acquirer_b", "aggregator"], skipped: [], max_attempts: 3 },
};

/** An operation intent as operation-intent.ts defines it, settled. */
const intent = {
  id: `op_${hex(64)}_1`,
  kind: "authorize",
  amount: 4_999,
  processor: "acquirer_a",
  processor_reference: null,
  refund_id: null,
  refund_reason: null,
  reason: "api",
  deadline: Date.parse(at),
  state: "done",
  announced: false,
  resolve_at: null,
  inquiries: 0,
  result: "succeeded",
  decline_code: null,
  created_at: at,
};

const entry: AuditEntry = {
  id: `aud_${hex(32)}`,
  at,
  action: "payment.captured",
  target_id: paymentId,
  actor: { kind: "api_key", id: `key_${hex(24)}`, merchant_id: payment.merchant_id },
  request_id: `req_${hex(24)}`,
  details: {
    livemode: true,
    sequence: 4,
    old_status: "authorized",
    new_status: "captured",
    amount: 4_999,
    currency: "USD",
    processor: "acquirer_a",
  },
};

const movement: typeof balanceTransactions.$inferSelect = {
  id: `txn_${hex(32)}`,
  merchantId: payment.merchant_id,
  livemode: true,
  type: "charge",
  amount: 4_999,
  fee: 175,
  net: 4_824,
  currency: "USD",
  processor: "acquirer_a",
  sourceId: paymentId,
  paymentId,
  availableOn: "2026-11-22",
  status: "pending",
  settlementId: null,
  createdAt: new Date(at),
};

const bytes = (value: unknown) =>
  new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value)).length;
const view = paymentView(payment, []);

/** Measured bytes of what each row or message carries (JSON as the code writes it). */
export const PAYLOAD = {
  /** payment_state.doc */
  paymentDoc: bytes(record),
  /** outbox_messages.body, the payment-events message */
  eventMessage: bytes(message),
  /** transition_log row: type, statuses, metadata, time */
  transitionRow: bytes({ ...message.event, actor: undefined }),
  /** operations.doc */
  intentDoc: bytes(intent),
  /** idempotency.reply: the answer replayed, a payment view */
  storedReply: bytes({ status: 200, body: view }),
  /** events.data and the webhook body: the payment as the API shows it */
  eventData: bytes(view),
  /** one audit chain entry in its R2 object (canonical JSON, one line) */
  auditEntry: bytes(entry) + 1,
  /** one line of each settlement file */
  settlementCsvLine: bytes(settlementCsvLine(movement)),
  settlementJsonItem: bytes(settlementJsonItem(movement)) + 1,
} as const;
