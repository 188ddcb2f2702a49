import type { ProjectedUpi } from "../../../common/payment-event-message.js";
import { BUDGETS } from "../../../common/timeout-budgets.js";
import { newUpiTxnId } from "../../../workers/connectors/upi/upi-ids.js";
import { payRequest } from "../../../workers/connectors/upi/upi-requests.js";
import { sendReqPay } from "../../../workers/connectors/upi/upi-switch-client.js";
import { upiSwitchLink } from "../../../workers/connectors/upi/upi-switch-link.js";
import { pendingAttempt } from "../attempts.js";
import { type OperationIntent, operationId } from "../operations/operation-intent.js";
import type { OperationContext } from "../operations/start-operation.js";
import type { CreatePaymentInput } from "../payment.object.js";
import { newPaymentRecord, type PaymentRecord } from "../payment-record.js";
import { attemptRouting, paymentRouting } from "../payment-routing.js";
import { applyUpiAnswer } from "./apply-upi-answer.js";
import { claimUpiTxn } from "./upi-reference.js";
import { nextStatusCheckAt } from "./upi-timers.js";

/** What the merchant asked of UPI: whom to collect from, or an intent any payer's app can pay. */
export type UpiPaymentRequest =
  | { flow: "collect"; vpa: string; expiresAfterMinutes: number; payeeName: string }
  | { flow: "intent"; expiresAfterMinutes: number; payeeName: string };

/**
 * A UPI payment's start (issue 14), DESIGN invariant 4a the UPI way: the payment, its attempt and
 * the ReqPay's intent (with the switch transaction id it will carry) are written with the move to
 * `processing`, and the alarm is armed for NPCI's first status check; the transaction id is
 * claimed in the reference index; only then does the ReqPay go. The switch's Ack moves the payment
 * to `requires_action` (the payer's turn); its refusal fails it; no Ack leaves it `processing` for
 * the status check, which alone decides. The result itself comes later, by callback or check.
 */
export async function startUpiPayment(
  context: OperationContext,
  input: CreatePaymentInput,
  upiRequest: UpiPaymentRequest,
): Promise<OperationIntent | undefined> {
  const { store, env } = context;
  const now = Date.now();
  const txnId = newUpiTxnId();
  const upi: ProjectedUpi = {
    flow: upiRequest.flow,
    vpa: upiRequest.flow === "collect" ? upiRequest.vpa : null,
    payee_vpa: `${input.merchantId}@${env.UPI_PAYEE_HANDLE || "gwy"}`,
    payee_name: upiRequest.payeeName,
    txn_id: txnId,
    rrn: null,
    expires_at: new Date(now + upiRequest.expiresAfterMinutes * 60_000).toISOString(),
  };
  const routing = input.routing ? paymentRouting(input.routing, now) : null;
  if (routing && !routing.candidates.includes("upi_switch")) {
    // The router left the switch out: its breaker is open, or the merchant disabled it. Nothing is sent.
    const down = routing.skipped.some(({ reason }) => reason === "circuit_open");
    store.atomically(() => {
      store.create(newPaymentRecord({ ...input, id: input.paymentId, routing, upi }));
      store.transition(
        "failed",
        { decline_code: down ? "processor_unavailable" : "payment_method_not_enabled", processor_response: null },
        { rule: routing.rule, skipped: routing.skipped },
      );
    });
    return undefined;
  }
  const intent = store.atomically(() => {
    store.create(newPaymentRecord({ ...input, id: input.paymentId, routing, upi }));
    const id = operationId(input.paymentId, 1);
    const createdAt = new Date(now).toISOString();
    const created: OperationIntent = {
      id,
      kind: "authorize",
      amount: input.amount,
      processor: "upi_switch",
      processor_reference: null,
      refund_id: null,
      refund_reason: null,
      reason: "api",
      deadline: now + BUDGETS.upiPayAnswerMs,
      state: "pending",
      // The payment itself shows it is under way (`processing`, then `requires_action`).
      announced: true,
      resolve_at: nextStatusCheckAt(env, { created_at: createdAt }, 0, now, upi.expires_at),
      inquiries: 0,
      result: null,
      decline_code: null,
      created_at: createdAt,
      upi_txn_id: txnId,
    };
    const attempt = pendingAttempt(id, createdAt, "upi_switch", routing && attemptRouting(routing));
    store.transition(
      "processing",
      {
        operations: 1,
        processor: "upi_switch",
        attempts: [attempt],
        pending_operation: { type: "authorize", amount: input.amount, refund: null, since: createdAt },
      },
      { attempt: id, processor: "upi_switch", upi_txn_id: txnId },
    );
    store.saveOperation(created);
    if (context.idempotencyKey) context.keys.link(context.idempotencyKey, id);
    return created;
  });
  await context.storage.setAlarm(intent.resolve_at ?? now + 1_000);

  const link = upiSwitchLink(env, input.livemode);
  const sendable = link !== null && (await claimUpiTxn(env, txnId, input.paymentId));
  if (!sendable) {
    // Nothing went out and nothing will: the payment fails as not sent (502, retry with a new key).
    applyUpiAnswer(context, intent.id, { status: "not_sent" }, "gateway");
    return store.operation(intent.id) ?? intent;
  }
  const payment = store.payment() as PaymentRecord;
  const ack = await sendReqPay(
    await link,
    payRequest({
      txnId,
      flow: upi.flow,
      payerVpa: upi.vpa,
      payeeVpa: upi.payee_vpa,
      payeeName: upi.payee_name,
      amountPaise: payment.amount,
      note: payment.description,
      expireAfterMinutes: upiRequest.expiresAfterMinutes,
    }),
  ).catch(() => null);
  if (ack?.accepted === false) {
    applyUpiAnswer(context, intent.id, { status: "failed", code: ack.code }, "ack");
  } else if (ack?.accepted) {
    // The switch has the request: the payer's turn (unless an answer overtook the Ack).
    applyUpiAnswer(context, intent.id, { status: "pending", deemed: false }, "ack");
  }
  // No Ack: `processing`, and the status check at `resolve_at` finds out whether the switch has it.
  return store.operation(intent.id) ?? intent;
}
