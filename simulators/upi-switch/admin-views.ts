import type { CallbackAttempt } from "./callbacks.js";
import type { Ledger, Leg, TxnRecord } from "./ledger.js";

/** The admin API speaks snake_case JSON, as the gateway's own API does; the books stay as stored. */

function legView(leg: Leg) {
  return {
    kind: leg.kind,
    vpa: leg.vpa,
    amount_paise: leg.amountPaise,
    status: leg.status,
    resp_code: leg.respCode ?? null,
    approval_num: leg.approvalNum ?? null,
    at: leg.at,
  };
}

function summaryView(txn: TxnRecord) {
  return {
    id: txn.id,
    type: txn.type,
    flow: txn.flow,
    state: txn.state,
    payer: txn.payer,
    payee: txn.payee,
    amount_paise: txn.amountPaise,
    rrn: txn.rrn,
    err_code: txn.errCode ?? null,
    approval_num: txn.approvalNum ?? null,
    org_txn_id: txn.orgTxnId ?? null,
    created_at: txn.createdAt,
    final_at: txn.finalAt ?? null,
  };
}

/** A txn with its legs, its callback and (for a payment) its refunds with their own states. */
export function txnView(ledger: Ledger, txn: TxnRecord) {
  const refunds = txn.refundIds.map((id) => ledger.get(id)).filter((refund) => refund !== undefined);
  return {
    ...summaryView(txn),
    payer_name: txn.payerName ?? null,
    payee_name: txn.payeeName ?? null,
    note: txn.note ?? null,
    ref_id: txn.refId ?? null,
    req_msg_id: txn.reqMsgId,
    expires_at: txn.expiresAt ?? null,
    legs: txn.legs.map(legView),
    callback: { status: txn.callback.status, attempts: txn.callback.attempts },
    refunds: refunds.map(summaryView),
    refunded_paise: refunds.filter((r) => r.state === "SUCCESS").reduce((sum, r) => sum + r.amountPaise, 0),
  };
}

export function attemptView(attempt: CallbackAttempt) {
  return {
    txn_id: attempt.txnId,
    attempt: attempt.attempt,
    replay: attempt.replay,
    at: attempt.at,
    status: attempt.status,
    error: attempt.error ?? null,
  };
}
