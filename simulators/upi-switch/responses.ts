import { newUpiId } from "../../common/upi/upi-fields.js";
import type { UpiHead, UpiMessage, UpiRef, UpiResp, UpiResult, UpiTxn } from "../../common/upi/upi-messages.js";
import type { Leg, TxnRecord, TxnState } from "./ledger.js";

/** The switch's own Head: orgId NPCI, a new msgId (its first three characters the orgId's). */
export function switchHead(now = new Date()): UpiHead {
  return { ts: now.toISOString(), orgId: "NPCI", msgId: newUpiId("NPCI") };
}

/** What a status check reports for each state: anything not yet definite is PENDING. */
export function resultOf(state: TxnState): UpiResult {
  switch (state) {
    case "INITIATED":
    case "AWAITING_PAYER":
    case "DEBITED":
    case "REVERSAL_PENDING":
      return "PENDING";
    case "DEEMED":
      return "DEEMED";
    case "SUCCESS":
      return "SUCCESS";
    case "FAILURE":
      return "FAILURE";
  }
}

const REF_TYPE = { DEBIT: "PAYER", CREDIT: "PAYEE", REVERSAL: "REVERSAL" } as const;

function refOf(leg: Leg): UpiRef {
  const ref: UpiRef = { type: REF_TYPE[leg.kind], addr: leg.vpa };
  if (leg.respCode) ref.respCode = leg.respCode;
  if (leg.approvalNum) ref.approvalNum = leg.approvalNum;
  if (leg.status === "SUCCESS") ref.settAmountPaise = leg.amountPaise;
  return ref;
}

/** The Resp of a RespPay or RespChkTxn: the result, the code, and one Ref per leg run so far. */
export function respOf(record: TxnRecord, reqMsgId: string): UpiResp {
  const resp: UpiResp = { reqMsgId, result: resultOf(record.state), refs: record.legs.map(refOf) };
  if (record.errCode) resp.errCode = record.errCode;
  if (record.state === "SUCCESS" && record.approvalNum) resp.approvalNum = record.approvalNum;
  return resp;
}

/** The txn as the switch reports it back: the original's id, type, time and RRN. */
export function txnOf(record: TxnRecord): UpiTxn {
  const txn: UpiTxn = { id: record.id, ts: record.txnTs, type: record.type, custRef: record.rrn };
  if (record.note) txn.note = record.note;
  if (record.refId) txn.refId = record.refId;
  if (record.orgTxnId) txn.orgTxnId = record.orgTxnId;
  return txn;
}

/** The final RespPay callback; its Head is fixed once (record.callback), so a retry or replay sends the same bytes. */
export function respPay(record: TxnRecord): UpiMessage {
  const head = { ts: record.callback.ts ?? record.updatedAt, orgId: "NPCI", msgId: record.callback.msgId ?? "" };
  return { api: "RespPay", head, txn: txnOf(record), resp: respOf(record, record.reqMsgId) };
}

/**
 * The answer to ReqChkTxn: the original txn's state, or FAILURE with `notFoundCode` when the switch
 * never received it (then the txn echoed is the one asked about, type ChkTxn).
 */
export function respChkTxn(
  record: TxnRecord | undefined,
  request: { msgId: string; orgTxnId: string },
  notFoundCode: string,
): UpiMessage {
  if (!record) {
    return {
      api: "RespChkTxn",
      head: switchHead(),
      txn: { id: request.orgTxnId, ts: new Date().toISOString(), type: "ChkTxn" },
      resp: { reqMsgId: request.msgId, result: "FAILURE", errCode: notFoundCode, refs: [] },
    };
  }
  return { api: "RespChkTxn", head: switchHead(), txn: txnOf(record), resp: respOf(record, request.msgId) };
}

export function ack(api: string, reqMsgId: string, err?: string): UpiMessage {
  const message: UpiMessage = { api: "Ack", ackApi: api, reqMsgId, ts: new Date().toISOString() };
  if (err) message.err = err;
  return message;
}
