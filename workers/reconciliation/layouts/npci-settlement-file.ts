import { rupeesToPaise } from "../../../common/upi/upi-amount.js";
import type { FileLine } from "../reconciliation-matcher.js";
import { ReportFileInvalid } from "../report-file-invalid.js";
import { type CsvRecord, CsvReportReader } from "./report-reader.js";

/** The first ten columns every version has (simulators/upi-switch/settlement-file.ts). */
const NEEDED = ["txn_id", "rrn", "type", "org_txn_id", "payer", "payee", "amount", "result", "code", "time"] as const;
/** Later columns, read when the file has them: without a fee column the fee is not compared. */
const OPTIONAL = ["currency", "fee", "approval"] as const;

/**
 * Reads the UPI switch's daily settlement file (NPCI-style CSV; the simulator's
 * settlement-file.ts describes the columns): the header, then one row per transaction that
 * became final that day. Only successes moved money: a FAILURE row is read past. A payment
 * (PAY, COLLECT) is named by its txn id, a REFUND by the txn it refunds: the gateway keeps the
 * payment's txn id (`payments.upi.txn_id`). Amounts are rupees with two decimals, read as paise.
 * Every row must have become final on the day asked for. The file has no trailer: the drop's
 * digest tells one cut short (report-pull.ts).
 */
export class NpciSettlementFileReader extends CsvReportReader<(typeof NEEDED)[number]> {
  constructor(day: string) {
    super(NEEDED, day);
  }

  protected record({ field, optional, where }: CsvRecord<(typeof NEEDED)[number]>): FileLine | null {
    const extra = (name: (typeof OPTIONAL)[number]) => optional(name);
    if (!field("time").startsWith(`${this.day}T`)) {
      throw new ReportFileInvalid(
        `${where} became final on ${field("time").slice(0, 10) || "no day"}, not ${this.day}`,
      );
    }
    if (field("result") === "FAILURE") return null;
    if (field("result") !== "SUCCESS") throw new ReportFileInvalid(`${where}'s result is neither SUCCESS nor FAILURE`);
    const type = field("type");
    if (!["PAY", "COLLECT", "REFUND"].includes(type) || !field("txn_id")) {
      throw new ReportFileInvalid(`${where} is not a UPI payment or refund`);
    }
    const amount = rupeesToPaise(field("amount"));
    const feeText = extra("fee");
    const fee = feeText === null || feeText === "" ? null : rupeesToPaise(feeText);
    if (amount === null || (feeText !== null && feeText !== "" && fee === null)) {
      throw new ReportFileInvalid(`${where}'s amounts are not rupees with two decimals`);
    }
    const refund = type === "REFUND";
    this.lineNo += 1;
    return {
      lineNo: this.lineNo,
      kind: refund ? "refund" : "charge",
      reference: field("txn_id"),
      paymentReference: (refund ? field("org_txn_id") : field("txn_id")) || null,
      amount,
      // UPI moves rupees only; a file without the column says so by having none.
      currency: (extra("currency") ?? "INR").toUpperCase(),
      fee,
      authCode: extra("approval") || null,
      bookedAt: field("time"),
    };
  }
}
