import type { UpiHead, UpiMessage } from "../../common/upi/upi-messages.js";
import type { Ledger } from "./ledger.js";

type ReqPay = Extract<UpiMessage, { api: "ReqPay" }>;

/**
 * Why the switch refuses a well-formed, signed ReqPay, as the Ack's `err` (NPCI UPI Error and
 * Response Codes v2.5, dev.m2p.app/docs/upi/npci-error-codes), or null to accept it:
 * U01 duplicate txn id, U02 over the per-transaction cap, U04 refund of an unknown txn,
 * U07 validation (id not the sender's, refund parties or amount wrong), U10 illegal operation
 * (a PAY that is not an intent, a refund of a txn that did not succeed), U12 amounts disagree.
 */
export function reqPayRefusal(message: ReqPay, ledger: Ledger, limitPaise: number): string | null {
  const { head, txn, payer, payee } = message;
  // Txn ids start with the originator's orgId (UPI spec: ids are unique per originating PSP).
  if (!txn.id.startsWith(head.orgId.slice(0, 3))) return "U07";
  if (ledger.get(txn.id)) return "U01";
  const amount = payee.amountPaise ?? 0;
  if (payer?.amountPaise !== undefined && payer.amountPaise !== amount) return "U12";
  if (amount <= 0) return "U07";
  if (amount > limitPaise) return "U02";
  if (txn.type === "PAY" && (txn.initiationMode !== "04" || payer)) return "U10";
  if (txn.type === "COLLECT" && txn.initiationMode !== undefined && txn.initiationMode !== "00") return "U10";
  if (txn.type !== "REFUND") return null;
  const original = ledger.get(txn.orgTxnId ?? "");
  if (!original || original.type === "REFUND") return "U04";
  if (original.state !== "SUCCESS") return "U10";
  // A refund moves the money back: the merchant (original payee) pays the original payer.
  if (payer?.addr !== original.payee || payee.addr !== original.payer) return "U07";
  const refunded = original.refundIds
    .map((id) => ledger.get(id))
    .filter((refund) => refund && refund.state !== "FAILURE")
    .reduce((sum, refund) => sum + (refund?.amountPaise ?? 0), 0);
  if (refunded + amount > original.amountPaise) return "U07";
  return null;
}

/**
 * A request signed longer ago than `maxAgeMs` (or that far in the future) is refused (U07): the
 * fence that lets a gateway which finds no transaction after that age know it never will exist.
 */
export function staleRequest(head: UpiHead, maxAgeMs: number, now = Date.now()): boolean {
  return Math.abs(now - Date.parse(head.ts)) > maxAgeMs;
}
