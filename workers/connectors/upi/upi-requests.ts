import type { UpiHead, UpiMessage } from "../../../common/upi/upi-messages.js";
import { newUpiTxnId, UPI_ORG_ID } from "./upi-ids.js";

type ReqPay = Extract<UpiMessage, { api: "ReqPay" }>;

function head(): UpiHead {
  return { ts: new Date().toISOString(), orgId: UPI_ORG_ID, msgId: newUpiTxnId() };
}

/** NPCI's Txn/@note is at most 50 characters; the payer's app shows it. */
function note(text: string | null): string | undefined {
  return text ? text.slice(0, 50) : undefined;
}

/**
 * The ReqPay that starts a payment. A collect (initiationMode 00) names the payer, whose app is
 * asked to approve; an intent (04) names only the payee: the payer's app opens the `upi://pay`
 * URL and the switch matches it to this transaction by its id (the URL's `tr`). Both lapse after
 * `expireAfter` minutes unpaid.
 */
export function payRequest(p: {
  txnId: string;
  flow: "collect" | "intent";
  payerVpa: string | null;
  payeeVpa: string;
  payeeName: string;
  amountPaise: number;
  note: string | null;
  expireAfterMinutes: number;
}): ReqPay {
  const txnNote = note(p.note);
  return {
    api: "ReqPay",
    head: head(),
    txn: {
      id: p.txnId,
      ts: new Date().toISOString(),
      type: p.flow === "collect" ? "COLLECT" : "PAY",
      initiationMode: p.flow === "collect" ? "00" : "04",
      expireAfter: p.expireAfterMinutes,
      refId: p.txnId,
      ...(txnNote ? { note: txnNote } : {}),
    },
    ...(p.flow === "collect" && p.payerVpa ? { payer: { addr: p.payerVpa, amountPaise: p.amountPaise } } : {}),
    payee: { addr: p.payeeVpa, name: p.payeeName, amountPaise: p.amountPaise },
  };
}

/** An online refund: the merchant pays the original payer back, naming the original transaction. */
export function refundRequest(p: {
  txnId: string;
  orgTxnId: string;
  merchantVpa: string;
  payerVpa: string;
  amountPaise: number;
  note: string | null;
}): ReqPay {
  const txnNote = note(p.note);
  return {
    api: "ReqPay",
    head: head(),
    txn: {
      id: p.txnId,
      ts: new Date().toISOString(),
      type: "REFUND",
      orgTxnId: p.orgTxnId,
      ...(txnNote ? { note: txnNote } : {}),
    },
    payer: { addr: p.merchantVpa, amountPaise: p.amountPaise },
    payee: { addr: p.payerVpa, amountPaise: p.amountPaise },
  };
}

/** ReqChkTxn: what became of `orgTxnId` (the check has an id of its own). */
export function checkRequest(orgTxnId: string): Extract<UpiMessage, { api: "ReqChkTxn" }> {
  return {
    api: "ReqChkTxn",
    head: head(),
    txn: { id: newUpiTxnId(), ts: new Date().toISOString(), type: "ChkTxn", orgTxnId },
  };
}

/** ReqValAdd: does `vpa` exist, before a collect is sent to it. */
export function validateRequest(vpa: string): Extract<UpiMessage, { api: "ReqValAdd" }> {
  return {
    api: "ReqValAdd",
    head: head(),
    txn: { id: newUpiTxnId(), ts: new Date().toISOString(), type: "ValAdd" },
    payee: { addr: vpa },
  };
}
