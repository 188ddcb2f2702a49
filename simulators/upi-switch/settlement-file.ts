import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { paiseToRupees } from "../../common/upi/upi-amount.js";
import { FINAL_STATES, type TxnRecord } from "./ledger.js";

/**
 * The day's settlement file, as CSV (RFC 4180): one row per transaction and refund that reached
 * its final state that day (UTC), successes and failures both, so a reconciler can match every
 * txn the gateway sent. Columns:
 *   txn_id      the txn id (35 characters)
 *   rrn         the RRN (custRef, 12 digits)
 *   type        PAY (intent), COLLECT or REFUND
 *   org_txn_id  for a REFUND, the txn refunded; else empty
 *   payer       the payer VPA (the merchant's for a refund)
 *   payee       the payee VPA
 *   amount      rupees with two decimals, INR
 *   result      SUCCESS or FAILURE
 *   code        the NPCI code: 00 on success, else the errCode (U30, ZA, U69, BT...)
 *   time        when the txn became final (ISO 8601, UTC)
 */
export const SETTLEMENT_HEADER = "txn_id,rrn,type,org_txn_id,payer,payee,amount,result,code,time";

/** A field as RFC 4180 writes it: quoted when it holds a comma, quote or line break. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function settlementCsv(records: TxnRecord[], day: string): string {
  const rows = records
    .filter((txn) => FINAL_STATES.includes(txn.state) && txn.finalAt?.slice(0, 10) === day)
    .sort((a, b) => (a.finalAt ?? "").localeCompare(b.finalAt ?? ""))
    .map((txn) =>
      [
        txn.id,
        txn.rrn,
        txn.type,
        txn.orgTxnId ?? "",
        txn.payer ?? "",
        txn.payee,
        paiseToRupees(txn.amountPaise),
        txn.state,
        txn.state === "SUCCESS" ? "00" : (txn.errCode ?? ""),
        txn.finalAt ?? "",
      ]
        .map(field)
        .join(","),
    );
  return `${[SETTLEMENT_HEADER, ...rows].join("\r\n")}\r\n`;
}

/** Closes the day: writes its file to `<dataDir>/settlement/<day>.csv` and returns the path. */
export function writeSettlementFile(dataDir: string, records: TxnRecord[], day: string): string {
  const directory = join(dataDir, "settlement");
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `${day}.csv`);
  writeFileSync(path, settlementCsv(records, day));
  return path;
}
