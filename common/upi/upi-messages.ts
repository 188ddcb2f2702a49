/**
 * The NPCI-style UPI messages this gateway and the switch simulator exchange, as plain objects
 * discriminated by `api` (UPI API & Technology Spec: ReqPay/RespPay, ReqChkTxn/RespChkTxn,
 * ReqValAdd/RespValAdd, every message acknowledged; sources in ../shared/notes/processors.md §1).
 * Amounts are paise here and rupees only on the wire (upi-amount.ts).
 */

export type UpiResult = "SUCCESS" | "FAILURE" | "PENDING" | "DEEMED";

export type UpiTxnType = "PAY" | "COLLECT" | "REFUND" | "ChkTxn" | "ValAdd";

export interface UpiHead {
  /** ISO 8601, with `Z` or an offset (NPCI's own dumps use +05:30). */
  ts: string;
  /** The sender: `GWY` for this gateway, `NPCI` for the switch. */
  orgId: string;
  /** 35 characters [A-Za-z0-9], new for every message. */
  msgId: string;
}

export interface UpiTxn {
  /** 35 characters [A-Za-z0-9], the first three the originator's orgId. */
  id: string;
  ts: string;
  type: UpiTxnType;
  note?: string;
  refId?: string;
  refUrl?: string;
  /** The RRN: 12 digits, set by the switch. */
  custRef?: string;
  /** `00` collect, `04` intent. */
  initiationMode?: string;
  /** Minutes (1..64800) a COLLECT or intent PAY waits for the payer. */
  expireAfter?: number;
  /** The original txn, for REFUND and ChkTxn. */
  orgTxnId?: string;
}

export interface UpiParty {
  addr: string;
  name?: string;
  type?: "PERSON" | "ENTITY";
  amountPaise?: number;
}

export interface UpiRef {
  type: "PAYER" | "PAYEE" | "REVERSAL";
  addr?: string;
  respCode?: string;
  approvalNum?: string;
  settAmountPaise?: number;
}

export interface UpiResp {
  reqMsgId: string;
  result: UpiResult;
  errCode?: string;
  approvalNum?: string;
  maskName?: string;
  refs: UpiRef[];
}

export type UpiMessage =
  | { api: "ReqPay"; head: UpiHead; txn: UpiTxn; payer?: UpiParty; payee: UpiParty }
  | { api: "RespPay"; head: UpiHead; txn: UpiTxn; resp: UpiResp }
  /** `txn.orgTxnId`: the txn asked about. */
  | { api: "ReqChkTxn"; head: UpiHead; txn: UpiTxn }
  /** `txn`: the ORIGINAL txn (id = the asked orgTxnId, with its custRef); type ChkTxn when the switch knows no such txn. */
  | { api: "RespChkTxn"; head: UpiHead; txn: UpiTxn; resp: UpiResp }
  /** `payee.addr`: the VPA to validate. */
  | { api: "ReqValAdd"; head: UpiHead; txn: UpiTxn; payee: UpiParty }
  | { api: "RespValAdd"; head: UpiHead; txn: UpiTxn; resp: UpiResp }
  /** `reqMsgId` is "" when the request could not be read far enough to name it. */
  | { api: "Ack"; reqMsgId: string; ackApi: string; ts: string; err?: string };

export type UpiApi = UpiMessage["api"];

export { decodeUpi } from "./upi-decode.js";
export { encodeUpi } from "./upi-encode.js";
export { UpiWireError } from "./upi-wire-error.js";
