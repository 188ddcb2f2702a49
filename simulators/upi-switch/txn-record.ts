import type { UpiMessage } from "../../common/upi/upi-messages.js";
import type { TxnRecord } from "./ledger.js";

type ReqPay = Extract<UpiMessage, { api: "ReqPay" }>;

/** A ReqPay as the switch books it on arrival (INITIATED), before the engine moves it on. */
export function newTxnRecord({ head, txn, payer, payee }: ReqPay, rrn: string, now: Date): TxnRecord {
  const record: TxnRecord = {
    id: txn.id,
    type: txn.type === "ChkTxn" || txn.type === "ValAdd" ? "PAY" : txn.type,
    flow: txn.type === "REFUND" ? "refund" : txn.type === "COLLECT" ? "collect" : "intent",
    state: "INITIATED",
    payer: payer?.addr ?? null,
    payee: payee.addr,
    amountPaise: payee.amountPaise ?? 0,
    rrn,
    txnTs: txn.ts,
    reqMsgId: head.msgId,
    refundIds: [],
    legs: [],
    callback: { status: "not_due", attempts: 0 },
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  if (payer?.name) record.payerName = payer.name;
  if (payee.name) record.payeeName = payee.name;
  if (txn.note) record.note = txn.note;
  if (txn.refId) record.refId = txn.refId;
  if (txn.orgTxnId) record.orgTxnId = txn.orgTxnId;
  return record;
}
