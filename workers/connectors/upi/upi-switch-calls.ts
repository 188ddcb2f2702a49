import { BUDGETS } from "../../../common/timeout-budgets.js";
import { type UpiAnswer, upiAnswerOf } from "./upi-answer.js";
import { checkRequest, validateRequest } from "./upi-requests.js";
import { callSwitch } from "./upi-switch-client.js";
import type { UpiSwitchLink } from "./upi-switch-link.js";

/** ReqChkTxn: the switch's word on `txnId`, or null when it gave none (the caller asks again later). */
export async function checkTransaction(link: UpiSwitchLink, txnId: string): Promise<UpiAnswer | null> {
  const answer = await callSwitch(link, checkRequest(txnId), BUDGETS.upiCheckAnswerMs);
  if (answer?.api !== "RespChkTxn") return null;
  // An answer about another transaction is no answer about this one.
  if (answer.txn.id !== txnId) return null;
  return upiAnswerOf(answer.resp, answer.txn.custRef);
}

export type VpaCheck = { valid: true; name: string | null } | { valid: false; code: string };

/** ReqValAdd: whether the VPA exists, and the account holder's masked name; null when the switch gave no answer. */
export async function validateVpa(link: UpiSwitchLink, vpa: string): Promise<VpaCheck | null> {
  const answer = await callSwitch(link, validateRequest(vpa), BUDGETS.upiCheckAnswerMs);
  if (answer?.api !== "RespValAdd") return null;
  if (answer.resp.result === "SUCCESS") return { valid: true, name: answer.resp.maskName ?? null };
  if (answer.resp.result === "FAILURE") return { valid: false, code: answer.resp.errCode ?? "ZH" };
  return null;
}
