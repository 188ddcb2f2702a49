import { upiCode } from "../../../common/upi/upi-codes.js";
import { newUpiTxnId } from "../../../workers/connectors/upi/upi-ids.js";
import { refundRequest } from "../../../workers/connectors/upi/upi-requests.js";
import { sendReqPay } from "../../../workers/connectors/upi/upi-switch-client.js";
import { upiSwitchLink } from "../../../workers/connectors/upi/upi-switch-link.js";
import type { OperationIntent } from "../operations/operation-intent.js";
import { type OperationContext, startOperation } from "../operations/start-operation.js";
import type { PaymentRecord } from "../payment-record.js";
import { claimUpiTxn } from "./upi-reference.js";
import { nextStatusCheckAt } from "./upi-timers.js";

/**
 * A UPI refund (issue 14 item 5): an online refund through the switch, a ReqPay of type REFUND
 * from the merchant's VPA back to the payer's, naming the original transaction. Its intent (and
 * its switch transaction id) is persisted before the call by `startOperation`, like a card
 * refund's. The switch's Ack only says it has the request: the refund is then `pending`, shown
 * as such, until its RespPay callback or a status check says how it ended.
 */
export async function startUpiRefund(
  context: OperationContext,
  spec: { amount: number; refundId: string; refundReason: string | null; refundKey: string | null },
): Promise<OperationIntent> {
  const { env, store } = context;
  const txnId = newUpiTxnId();
  const intent = await startOperation(
    context,
    { kind: "refund", ...spec, upiTxnId: txnId },
    async (operation, payment) => {
      const link = upiSwitchLink(env, payment.livemode);
      if (!link || !payment.upi?.vpa || !(await claimUpiTxn(env, txnId, payment.id))) {
        return {
          outcome: "unavailable",
          processor: "upi_switch",
          reason: "the refund could not be sent to the switch",
        };
      }
      const ack = await sendReqPay(await link, refundFor(payment, txnId, operation.amount, spec.refundReason));
      if (ack?.accepted === false) {
        return {
          outcome: "declined",
          processor: "upi_switch",
          processor_reference: txnId,
          decline_code: upiCode(ack.code).declineCode,
          decline_retry: "hard",
          network_response_code: ack.code,
        };
      }
      // Taken (or no Ack): the result comes later; `unknown` keeps the intent pending and announced.
      return { outcome: "unknown", processor: "upi_switch", processor_reference: txnId, resolution: "inquiry" };
    },
  );
  const pending = store.operation(intent.id);
  if (pending?.state === "pending") {
    // Asked about on NPCI's timers, not the card path's seconds: the callback usually comes first.
    store.saveOperation({ ...pending, resolve_at: nextStatusCheckAt(env, pending, 0, Date.now(), null) });
  }
  return store.operation(intent.id) ?? intent;
}

function refundFor(payment: PaymentRecord, txnId: string, amount: number, reason: string | null) {
  const upi = payment.upi!;
  return refundRequest({
    txnId,
    orgTxnId: upi.txn_id,
    merchantVpa: upi.payee_vpa,
    payerVpa: upi.vpa!,
    amountPaise: amount,
    note: reason ? `Refund: ${reason}` : "Refund",
  });
}
