/**
 * NPCI answer codes the switch sends (in Resp errCode, Ref respCode and Ack err) and what each
 * means to the gateway. Sources (../shared/notes/processors.md §1):
 * - [m2p] NPCI UPI Error & Response Codes v2.5, as listed at dev.m2p.app/docs/upi/npci-error-codes
 * - [arihant] support.arihantplus.com UPI failure article (U30, U69)
 * - [decentro] docs.decentro.tech/reference/sample-collection (ZA, ZM, Z9, ZH: remitter-side)
 * - [razorpay] razorpay/opencensus-php app/Gateway/Upi/Npci/ErrorCodes.php (BT, UT)
 * `business`: the payer's or a bank's refusal, final; `technical`: the network failed, the payment
 * may be retried; `expired`: the payer never acted; `not_found`: the switch knows no such txn.
 */
export type UpiCodeKind = "business" | "technical" | "expired" | "not_found";

export interface UpiCodeMeaning {
  meaning: string;
  kind: UpiCodeKind;
  declineCode: string;
}

export const UPI_CODES: Readonly<Record<string, UpiCodeMeaning>> = {
  U30: { meaning: "debit has been failed", kind: "business", declineCode: "upi_debit_failed" }, // [arihant]
  U69: { meaning: "collect expired", kind: "expired", declineCode: "upi_collect_expired" }, // [arihant]
  ZA: { meaning: "transaction declined by customer", kind: "business", declineCode: "upi_declined_by_payer" }, // [decentro]
  ZM: { meaning: "invalid MPIN", kind: "business", declineCode: "upi_invalid_pin" }, // [decentro]
  Z9: { meaning: "insufficient funds", kind: "business", declineCode: "insufficient_funds" }, // [decentro]
  ZH: { meaning: "invalid virtual address", kind: "business", declineCode: "upi_invalid_vpa" }, // [decentro]
  U16: { meaning: "risk threshold exceeded", kind: "business", declineCode: "upi_risk_threshold_exceeded" }, // [m2p]
  U02: { meaning: "amount cap is exceeded", kind: "business", declineCode: "upi_amount_limit_exceeded" }, // [m2p]
  BT: {
    meaning: "acquirer/beneficiary unavailable (timeout)",
    kind: "technical",
    declineCode: "processor_timeout",
  }, // [razorpay]
  UT: { meaning: "remitter/issuer unavailable (timeout)", kind: "technical", declineCode: "processor_timeout" }, // [razorpay]
  U01: { meaning: "the request is duplicate", kind: "technical", declineCode: "duplicate_transaction" }, // [m2p]
  /**
   * The switch's answer to a ReqChkTxn for a txn it never received. [m2p] lists U04 "request is
   * not found" among the switch's own codes; that NPCI sends exactly U04 in RespChkTxn for an
   * unknown txn is UNCONFIRMED (the banks' code NO, "no original debit/credit found", added in
   * Error and Response Codes v2.3.1 §3.1, is the bank-side counterpart).
   */
  U04: { meaning: "request is not found", kind: "not_found", declineCode: "upi_transaction_not_found" }, // [m2p]
  U05: { meaning: "formation is not proper", kind: "technical", declineCode: "processor_error" }, // [m2p]
  U07: { meaning: "validation error", kind: "technical", declineCode: "processor_error" }, // [m2p]
  U10: { meaning: "illegal operation", kind: "technical", declineCode: "processor_error" }, // [m2p]
  U12: { meaning: "amount or currency mismatch", kind: "technical", declineCode: "processor_error" }, // [m2p]
  /** Sent here for a signature that does not verify: NPCI's code for that is UNCONFIRMED; U15 is the nearest in [m2p]. */
  U15: { meaning: "checksum failed", kind: "technical", declineCode: "processor_error" }, // [m2p]
};

/** The switch's code for "no such transaction" in RespChkTxn (see U04 above). */
export const UPI_NOT_FOUND_CODE = "U04";

const UNKNOWN: UpiCodeMeaning = { meaning: "unrecognised UPI code", kind: "technical", declineCode: "processor_error" };

/** What a code means; an unknown (or absent) code is a technical "processor_error", never a silent success. */
export function upiCode(code: string | undefined): UpiCodeMeaning {
  return code !== undefined && Object.hasOwn(UPI_CODES, code) ? (UPI_CODES[code] as UpiCodeMeaning) : UNKNOWN;
}
