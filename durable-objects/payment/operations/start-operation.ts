import { BUDGETS, inquiryBackoffMs } from "../../../common/timeout-budgets.js";
import type { InquireResponse, Processor } from "../../../common/vault-internal-api.js";
import { VaultCallError } from "../../../workers/vault/vault-client.js";
import type { IdempotencyKeys } from "../idempotency-keys.js";
import type { PaymentRecord } from "../payment-record.js";
import type { PaymentStore } from "../payment-store.js";
import { reportAttemptHealth } from "./attempt-health.js";
import { type OperationIntent, type OperationKind, operationId } from "./operation-intent.js";
import { announcePending, settleOperation } from "./settle-operation.js";

export type OrchestratorEnv = Pick<Env, "VAULT_URL" | "VAULT_SIGNING_KEY" | "AUTHORIZATION_WINDOW_SECONDS">;

/** What an operation needs from the object that runs it. */
export interface OperationContext {
  store: PaymentStore;
  keys: IdempotencyKeys;
  env: Env;
  storage: DurableObjectStorage;
  /** The object's `ctx.waitUntil`: work that may outlive the call (a health report). */
  waitUntil: (work: Promise<unknown>) => void;
  /** The stored name of the merchant's Idempotency-Key for this request, tied to the operation. */
  idempotencyKey: string | null;
}

/** A vault answer, or the vault refusing the request outright (4xx: nothing was sent). */
export type CallAnswer = InquireResponse | { outcome: "refused"; status: number };

/**
 * Runs one processor operation the way DESIGN invariant 4a asks: persist the intent (with the
 * payment's move to its in-flight state, in one transaction), arm the alarm that resolves it,
 * then call. A definite answer is applied at once; anything else (timeout, lost reply, a 5xx,
 * the vault's own `unknown`) leaves the intent pending, announced to the merchant, for the alarm.
 */
export async function startOperation(
  context: OperationContext,
  spec: {
    kind: OperationKind;
    amount: number;
    refundId?: string;
    refundReason?: string | null;
    /** The merchant's Idempotency-Key, shown on the refund. */
    refundKey?: string | null;
    reason?: OperationIntent["reason"];
    /** Where it goes, when not to the payment's processor (an authorization attempt's candidate). */
    processor?: Processor;
    /** The payment's id, when the in-flight change is what creates the payment (an authorization). */
    paymentId?: string;
    /** The in-flight state change, written in the same transaction as the intent it is given. */
    inFlight?: (operation: { id: string; created_at: string }) => void;
    /** A UPI operation's switch transaction id, persisted with the intent before the call carries it. */
    upiTxnId?: string;
  },
  call: (intent: OperationIntent, payment: PaymentRecord) => Promise<CallAnswer>,
): Promise<OperationIntent> {
  const { store } = context;
  const now = Date.now();
  const deadline = now + BUDGETS.edgeVaultCallMs;
  const intent = store.atomically(() => {
    const before = store.payment();
    const n = (before?.operations ?? 0) + 1;
    const operation = {
      id: operationId(before?.id ?? spec.paymentId ?? "", n),
      created_at: new Date(now).toISOString(),
    };
    spec.inFlight?.(operation);
    const payment = store.payment() as PaymentRecord;
    const created: OperationIntent = {
      id: operation.id,
      kind: spec.kind,
      amount: spec.amount,
      processor: spec.processor ?? (payment.processor as OperationIntent["processor"]) ?? null,
      processor_reference: payment.processor_reference,
      refund_id: spec.refundId ?? null,
      refund_reason: spec.refundReason ?? null,
      idempotency_key: spec.refundKey ?? null,
      reason: spec.reason ?? "api",
      deadline,
      state: "pending",
      announced: false,
      resolve_at: deadline + BUDGETS.edgeFirstInquiryAfterDeadlineMs,
      inquiries: 0,
      result: null,
      decline_code: null,
      created_at: operation.created_at,
      ...(spec.upiTxnId ? { upi_txn_id: spec.upiTxnId } : {}),
    };
    store.patch({
      operations: n,
      pending_operation: {
        type: spec.kind === "void" ? "cancel" : spec.kind,
        amount: spec.amount,
        refund: created.refund_id,
        since: created.created_at,
      },
    });
    store.saveOperation(created);
    if (context.idempotencyKey) context.keys.link(context.idempotencyKey, created.id);
    return created;
  });
  // Armed before the call: an object evicted mid-call wakes up and resolves its intent.
  await context.storage.setAlarm(intent.resolve_at ?? deadline);
  let answer: CallAnswer | null;
  try {
    answer = await call(intent, store.payment() as PaymentRecord);
  } catch (error) {
    // A 4xx in the vault's own error body is the vault refusing the request before anything was
    // sent. Anything else (a 5xx, a proxy's page, a timeout) may hide a sent request: lost.
    const refused = error instanceof VaultCallError && error.status >= 400 && error.status < 500 && error.code !== null;
    answer = refused ? { outcome: "refused", status: error.status } : null;
  }
  if (answer && settleOperation(store, context.env, intent.id, answer)) {
    reportAttemptHealth(context, intent.id, answer);
    return store.operation(intent.id) ?? intent;
  }
  // The vault said "unknown": it is resolving it now, so ask soon. No answer at all: ask once
  // the deadline has passed, when the vault has either journaled it or fenced it.
  const soon = Date.now() + inquiryBackoffMs(0);
  announcePending(store, intent.id, answer ? soon : Math.max(soon, intent.resolve_at ?? soon));
  return store.operation(intent.id) ?? intent;
}
