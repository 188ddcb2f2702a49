import type { FileLine } from "../reconciliation-matcher.js";
import { ReportFileInvalid } from "../report-file-invalid.js";
import { CURRENCY_ALPHA } from "./currency-numeric.js";
import { LineReader } from "./report-reader.js";

const amount = (text: string | undefined, what: string): number => {
  if (!text || !/^\d{1,12}$/.test(text)) throw new ReportFileInvalid(`${what} is not an amount in minor units`);
  return Number(text);
};

/**
 * Reads an acquirer's clearing file (simulators/acquirer/clearing-file.ts describes the layout).
 * The header must name the day asked for, and the trailer's count and net per currency must
 * equal the lines read, so a file cut short in transfer is refused rather than reconciled as if
 * transactions were missing. Currencies come as ISO 4217 numeric (field 49) and leave as
 * alphabetic; one the table lacks stays numeric, which matches nothing. A sale is named by its
 * RRN (field 37), a refund by its original's.
 */
export class ClearingFileReader extends LineReader {
  private lineNo = 0;
  private state: "header" | "details" | "totals" = "header";
  private trailerCount = -1;
  private readonly nets = new Map<string, number>();
  private readonly totals = new Map<string, number>();

  constructor(private readonly day: string) {
    super();
  }

  protected finish(): number {
    if (this.state === "header") throw new ReportFileInvalid("the file has no header");
    if (this.trailerCount < 0) throw new ReportFileInvalid("the file has no trailer: it was cut short");
    if (this.trailerCount !== this.lineNo) {
      throw new ReportFileInvalid(`the trailer counts ${this.trailerCount} lines, the file has ${this.lineNo}`);
    }
    for (const [currency, net] of this.nets) {
      if (this.totals.get(currency) !== net) throw new ReportFileInvalid(`the trailer's total for ${currency} differs`);
    }
    if (this.totals.size !== this.nets.size) throw new ReportFileInvalid("the trailer totals a currency with no line");
    return this.lineNo;
  }

  protected read(text: string): FileLine | null {
    if (text === "") return null;
    const columns = text.split("|");
    const [type] = columns;
    if (this.state === "header") {
      if (type !== "HEADER") throw new ReportFileInvalid("the file does not start with its header");
      if (columns[1] !== this.day) throw new ReportFileInvalid(`the file is for ${columns[1]}, not ${this.day}`);
      this.state = "details";
      return null;
    }
    if (type === "TRAILER" && this.state === "details") {
      this.trailerCount = amount(columns[2], "the trailer's count");
      this.state = "totals";
      return null;
    }
    if (type === "TOTAL" && this.state === "totals") {
      const net = columns[2] ?? "";
      if (!/^-?\d{1,15}$/.test(net)) throw new ReportFileInvalid("a trailer total is not an amount");
      this.totals.set(columns[1] ?? "", Number(net));
      return null;
    }
    if ((type === "DR" || type === "CR") && this.state === "details") return this.detail(columns);
    throw new ReportFileInvalid(`line ${this.physical} is not part of the layout`);
  }

  private detail(columns: string[]): FileLine {
    const [type, rrn, , , currency = "", amountText, authCode, originalRrn, feeText, bookedAt] = columns;
    if (columns.length < 8 || !rrn || !/^[0-9A-Za-z]{12}$/.test(rrn)) {
      throw new ReportFileInvalid(`line ${this.physical} is not a detail line`);
    }
    this.lineNo += 1;
    const value = amount(amountText, `line ${this.physical}'s amount`);
    this.nets.set(currency, (this.nets.get(currency) ?? 0) + (type === "CR" ? -value : value));
    const refund = type === "CR";
    return {
      lineNo: this.lineNo,
      kind: refund ? "refund" : "charge",
      reference: rrn,
      paymentReference: refund ? originalRrn || null : rrn,
      amount: value,
      currency: CURRENCY_ALPHA[currency] ?? currency,
      fee: feeText ? amount(feeText, `line ${this.physical}'s fee`) : null,
      authCode: authCode || null,
      bookedAt: bookedAt || null,
    };
  }
}
