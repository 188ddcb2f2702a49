import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { PROCESSOR_REGISTRY, processorFee } from "../../common/processor-registry.js";
import { paiseToRupees } from "../../common/upi/upi-amount.js";
import { csvRow } from "../reports/csv.js";
import { applyDiscrepancies, discrepancyLists, type ReportRecord } from "../reports/discrepancies.js";
import { FINAL_STATES, type TxnRecord } from "./ledger.js";

/**
 * The day's settlement file, as CSV (RFC 4180): one row per transaction and refund that reached
 * its final state that day (UTC), successes and failures both, so a reconciler can match every
 * txn the gateway sent; only successes moved money. Columns:
 *   txn_id      the txn id (35 characters)
 *   rrn         the RRN (custRef, 12 digits)
 *   type        PAY (intent), COLLECT or REFUND
 *   org_txn_id  for a REFUND, the txn refunded; else empty
 *   payer       the payer VPA (the merchant's for a refund)
 *   payee       the payee VPA
 *   amount      rupees with two decimals
 *   result      SUCCESS or FAILURE
 *   code        the NPCI code: 00 on success, else the errCode (U30, ZA, U69, BT...)
 *   time        when the txn became final (ISO 8601, UTC)
 * and, after those (readers of the first ten read on), as NPCI's raw settlement data carries them:
 *   currency    ISO 4217 (INR: UPI moves rupees only)
 *   fee         what the switch and banks keep, rupees with two decimals: 0.00 for a person-to-
 *               merchant payment under zero MDR (common/processor-registry.ts), none back on a refund
 *   approval    the remitter bank's approval number (6 digits) on success
 * The file has no trailer: its drop states its digest (simulators/reports/report-drop.ts).
 */
export const SETTLEMENT_HEADER = "txn_id,rrn,type,org_txn_id,payer,payee,amount,result,code,time,currency,fee,approval";

interface SettlementRow extends ReportRecord {
  txn: TxnRecord;
  /** Paise. */
  amount: number;
  fee: number;
}

/** A transaction as a test names it: its txn id or its RRN. */
const reference = z.string().regex(/^([0-9A-Za-z]{35}|\d{12})$/, "reference must be a txn id (35) or an RRN (12)");
const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, "currency must be an ISO 4217 code")
  .transform((code) => code.toUpperCase());

/** What the next settlement files get wrong on purpose (`PUT /reports/discrepancies`); amounts and fees in paise. */
export const settlementDiscrepanciesSchema = z.strictObject({
  ...discrepancyLists(reference, currency),
  /** Payments the gateway never sent, each with a txn id of its own unless one is given. */
  extra: z
    .array(
      z.strictObject({
        txn_id: z
          .string()
          .regex(/^[0-9A-Za-z]{35}$/)
          .optional(),
        amount: z.number().int().min(1).max(999_999_999_999),
        currency: currency.default("INR"),
      }),
    )
    .max(1000)
    .default([]),
});

export type SettlementDiscrepancies = z.output<typeof settlementDiscrepanciesSchema>;
export const NO_SETTLEMENT_DISCREPANCIES: SettlementDiscrepancies = settlementDiscrepanciesSchema.parse({});

const feeOf = (txn: TxnRecord) =>
  txn.type === "REFUND" || txn.state !== "SUCCESS"
    ? 0
    : (processorFee(PROCESSOR_REGISTRY.upi_switch, { amount: txn.amountPaise, brand: null, region: "domestic" }) ?? 0);

function finalOn(records: TxnRecord[], day: string): SettlementRow[] {
  return records
    .filter((txn) => FINAL_STATES.includes(txn.state) && txn.finalAt?.slice(0, 10) === day)
    .sort((a, b) => (a.finalAt ?? "").localeCompare(b.finalAt ?? "") || a.id.localeCompare(b.id))
    .map((txn) => ({ txn, amount: txn.amountPaise, currency: "INR", fee: feeOf(txn) }));
}

function row({ txn, amount, currency, fee }: SettlementRow): string {
  return csvRow([
    txn.id,
    txn.rrn,
    txn.type,
    txn.orgTxnId ?? "",
    txn.payer ?? "",
    txn.payee,
    paiseToRupees(amount),
    txn.state,
    txn.state === "SUCCESS" ? "00" : (txn.errCode ?? ""),
    txn.finalAt ?? "",
    currency,
    paiseToRupees(fee),
    txn.state === "SUCCESS" ? (txn.approvalNum ?? "") : "",
  ]);
}

/** The day's file row by row (the header first), wrong as `wrong` says. */
export function* settlementLines(
  records: TxnRecord[],
  day: string,
  wrong: SettlementDiscrepancies = NO_SETTLEMENT_DISCREPANCIES,
): Generator<string> {
  yield SETTLEMENT_HEADER;
  for (const line of applyDiscrepancies(finalOn(records, day), wrong, ({ txn }) => [txn.id, txn.rrn])) {
    yield row(line);
  }
  for (const [index, extra] of wrong.extra.entries()) {
    const serial = String(index + 1).padStart(8, "0");
    const at = `${day}T12:00:00.000Z`;
    const txn: TxnRecord = {
      id: extra.txn_id ?? `XTRA${serial}${"0".repeat(23)}`,
      type: "COLLECT",
      flow: "collect",
      state: "SUCCESS",
      payer: "extra@upi",
      payee: "shop@gwy",
      amountPaise: extra.amount,
      rrn: `9${serial}999`,
      txnTs: at,
      reqMsgId: "",
      approvalNum: "999999",
      refundIds: [],
      legs: [],
      callback: { status: "not_due", attempts: 0 },
      createdAt: at,
      updatedAt: at,
      finalAt: at,
    };
    yield row({ txn, amount: extra.amount, currency: extra.currency, fee: 0 });
  }
}

export function settlementCsv(records: TxnRecord[], day: string): string {
  return `${[...settlementLines(records, day)].join("\r\n")}\r\n`;
}

/** Closes the day: writes its file to `<dataDir>/settlement/<day>.csv` and returns the path. */
export function writeSettlementFile(dataDir: string, records: TxnRecord[], day: string): string {
  const directory = join(dataDir, "settlement");
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `${day}.csv`);
  writeFileSync(path, settlementCsv(records, day));
  return path;
}
