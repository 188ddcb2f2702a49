import type { ProjectedWallet } from "../../../common/payment-event-message.js";
import { WALLET_WRITE_MS } from "../../../workers/connectors/wallet/wallet-client.js";
import { pendingAttempt } from "../attempts.js";
import { type OperationIntent, operationId } from "../operations/operation-intent.js";
import type { OperationContext } from "../operations/start-operation.js";
import type { CreatePaymentInput } from "../payment.object.js";
import { newPaymentRecord } from "../payment-record.js";
import { attemptRouting, paymentRouting } from "../payment-routing.js";
import { advanceWalletPayment } from "./advance-wallet-payment.js";
import { approvalWindowMs, nextWalletCheckAt } from "./wallet-timers.js";

/** What the merchant asked of the wallet: where the payer goes back to, and the gateway's pages in between. */
export interface WalletPaymentRequest {
  /** The merchant's pages (already checked: absolute, https outside development). */
  returnUrl: string;
  cancelUrl: string | null;
  /** The gateway's hosted return and cancel pages for this payment, given to the wallet. */
  pages: { return_url: string; cancel_url: string };
  /** The merchant's name on the approval page (null when Postgres could not say). */
  brandName?: string | null;
}

/**
 * A wallet payment's start (issue 15), DESIGN invariant 4a the wallet's way: the payment, its one
 * attempt and its intent are written with the move to `processing`, and the alarm is armed; only
 * then does the order's creation go, under the intent's id as its PayPal-Request-Id. The order's
 * answer moves the payment to `requires_action` (the payer's turn, at the approval page); a refusal
 * fails it; no answer leaves it `processing` and the alarm repeats the same request.
 */
export async function startWalletPayment(
  context: OperationContext,
  input: CreatePaymentInput,
  request: WalletPaymentRequest,
): Promise<OperationIntent | undefined> {
  const { store, env } = context;
  const now = Date.now();
  const wallet: ProjectedWallet = {
    order_id: null,
    approval_url: null,
    return_url: request.returnUrl,
    cancel_url: request.cancelUrl,
    payer_id: null,
    payer_email: null,
    capture_id: null,
    authorization_id: null,
    expires_at: new Date(now + approvalWindowMs(env)).toISOString(),
  };
  const routing = input.routing ? paymentRouting(input.routing, now) : null;
  const record = () =>
    store.create({
      ...newPaymentRecord({ ...input, id: input.paymentId, routing, upi: null, wallet }),
      wallet_pages: request.pages,
      ...(request.brandName ? { wallet_brand: request.brandName } : {}),
    });
  if (routing && !routing.candidates.includes("paypal")) {
    // The router left the wallet out: its breaker is open, or the merchant disabled it. Nothing is sent.
    const down = routing.skipped.some(({ reason }) => reason === "circuit_open");
    store.atomically(() => {
      record();
      store.transition(
        "failed",
        { decline_code: down ? "processor_unavailable" : "payment_method_not_enabled", processor_response: null },
        { rule: routing.rule, skipped: routing.skipped },
      );
    });
    return undefined;
  }
  const intent = store.atomically(() => {
    record();
    const id = operationId(input.paymentId, 1);
    const createdAt = new Date(now).toISOString();
    const created: OperationIntent = {
      id,
      kind: "authorize",
      amount: input.amount,
      processor: "paypal",
      processor_reference: null,
      refund_id: null,
      refund_reason: null,
      reason: "api",
      deadline: now + WALLET_WRITE_MS,
      state: "pending",
      // The payment itself shows it is under way (`processing`, then `requires_action`).
      announced: true,
      resolve_at: nextWalletCheckAt(env, 0, now, null),
      inquiries: 0,
      result: null,
      decline_code: null,
      created_at: createdAt,
    };
    const attempt = pendingAttempt(id, createdAt, "paypal", routing && attemptRouting(routing));
    store.transition(
      "processing",
      {
        operations: 1,
        processor: "paypal",
        attempts: [attempt],
        pending_operation: { type: "authorize", amount: input.amount, refund: null, since: createdAt },
      },
      { attempt: id, processor: "paypal" },
    );
    store.saveOperation(created);
    if (context.idempotencyKey) context.keys.link(context.idempotencyKey, id);
    return created;
  });
  await context.storage.setAlarm(intent.resolve_at ?? now + 1_000);
  await advanceWalletPayment(context, intent, "create");
  return store.operation(intent.id) ?? intent;
}
