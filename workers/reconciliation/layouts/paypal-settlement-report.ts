import { CURRENCY_MINOR_UNITS } from "../../../common/currencies.js";
import type { FileLine } from "../reconciliation-matcher.js";
import { ReportFileInvalid } from "../report-file-invalid.js";
import { columnsOf, csvFields, LineReader } from "./report-reader.js";

const NEEDED = [
  "Transaction ID",
  "PayPal Reference ID",
  "Transaction Event Code",
  "Transaction Completion Date",
  "Transaction Debit or Credit",
  "Gross Transaction Amount",
  "Gross Transaction Currency",
  "Fee Debit or Credit",
  "Fee Amount",
] as const;

/** A PayPal amount: unsigned, two implied decimals whatever the currency. */
const AMOUNT = /^\d{1,15}$/;

interface Totals {
  grossCr: number;
  grossDr: number;
  feeCr: number;
  feeDr: number;
}

type Stage = "RH" | "FH" | "SH" | "CH" | "SB" | "SC" | "RF" | "RC" | "FF" | "done";

/**
 * Reads the wallet's settlement report in PayPal's STL layout (simulators/wallet/
 * settlement-report.ts describes its rows): report, file and section headers, the section body's
 * column names, its body rows, then footers whose totals per currency and record counts must
 * equal what was read, so a report cut short is refused. The section must start on the day asked
 * for. Body rows with T-code T00xx are payments received (charges, gross a credit), T1107 a
 * payment refund; other codes (withdrawals, holds, currency conversions) are not movements the
 * gateway books and are read past, though counted and totalled. A capture is named by its
 * transaction id, a refund's payment by its PayPal Reference ID (the capture): the gateway keeps
 * the capture (`payments.wallet.capture_id`). Amounts come with two implied decimals and leave in
 * the currency's ISO 4217 minor units (JPY 10000 in the file is 100 yen). An empty fee is none.
 */
export class PayPalSettlementReportReader extends LineReader {
  private stage: Stage = "RH";
  private columns: Record<(typeof NEEDED)[number], number> | null = null;
  private lineNo = 0;
  private rows = 0;
  private sectionRows = 0;
  private reportRows = 0;
  private section = new Map<string, Totals>();
  private readonly report = new Map<string, Totals>();
  private footers = new Set<string>();

  constructor(private readonly day: string) {
    super();
  }

  protected finish(): number {
    if (this.stage === "RH") throw new ReportFileInvalid("the file has no report header");
    if (this.stage !== "done") throw new ReportFileInvalid("the file has no file footer: it was cut short");
    return this.lineNo;
  }

  protected read(text: string): FileLine | null {
    if (text === "") return null;
    const where = `line ${this.physical}`;
    const fields = csvFields(text, where);
    const [type] = fields;
    this.rows += 1;
    const expect = (...stages: Stage[]) => {
      if (!stages.includes(type as Stage) || !stages.includes(this.stage)) {
        throw new ReportFileInvalid(
          this.stage === "RH" ? "the file does not start with its report header" : `${where} is not part of the layout`,
        );
      }
    };
    switch (type) {
      case "RH":
      case "FH":
        expect(type);
        this.stage = type === "RH" ? "FH" : "SH";
        return null;
      case "SH": {
        if (this.stage !== "SH" && this.stage !== "RF")
          throw new ReportFileInvalid(`${where} is not part of the layout`);
        const start = (fields[1] ?? "").slice(0, 10).replaceAll("/", "-");
        if (start !== this.day) throw new ReportFileInvalid(`the report is for ${start || "no day"}, not ${this.day}`);
        this.stage = "CH";
        this.section = new Map();
        this.footers = new Set();
        this.sectionRows = 0;
        return null;
      }
      case "CH":
        expect("CH");
        this.columns = columnsOf(fields, NEEDED);
        this.stage = "SB";
        return null;
      case "SB":
        expect("SB");
        return this.body(fields, where);
      case "SF":
        if (this.stage !== "SB") throw new ReportFileInvalid(`${where} is not part of the layout`);
        this.footer(fields, this.section, "section", where);
        return null;
      case "SC":
        if (this.stage !== "SB") throw new ReportFileInvalid(`${where} is not part of the layout`);
        this.count(fields, this.sectionRows, "section", where);
        if (this.footers.size !== this.section.size)
          throw new ReportFileInvalid("the section's footers are not one per currency");
        this.footers = new Set();
        this.stage = "RF";
        return null;
      case "RF":
        if (this.stage !== "RF") throw new ReportFileInvalid(`${where} is not part of the layout`);
        this.footer(fields, this.report, "report", where);
        return null;
      case "RC":
        if (this.stage !== "RF") throw new ReportFileInvalid(`${where} is not part of the layout`);
        this.count(fields, this.reportRows, "report", where);
        if (this.footers.size !== this.report.size)
          throw new ReportFileInvalid("the report's footers are not one per currency");
        this.stage = "FF";
        return null;
      case "FF":
        expect("FF");
        this.count(fields, this.rows, "file", where);
        this.stage = "done";
        return null;
      default:
        throw new ReportFileInvalid(
          this.stage === "RH" ? "the file does not start with its report header" : `${where} is not part of the layout`,
        );
    }
  }

  private body(fields: string[], where: string): FileLine | null {
    const columns = this.columns;
    if (!columns) throw new ReportFileInvalid(`${where} comes before the column header`);
    const field = (name: (typeof NEEDED)[number]) => fields[columns[name]] ?? "";
    const currency = field("Gross Transaction Currency").toUpperCase();
    const exponent = CURRENCY_MINOR_UNITS.get(currency);
    const direction = field("Transaction Debit or Credit");
    const gross = field("Gross Transaction Amount");
    const feeDirection = field("Fee Debit or Credit");
    const feeText = field("Fee Amount");
    if (exponent === undefined || exponent > 2)
      throw new ReportFileInvalid(`${where}'s currency is not one PayPal takes`);
    if (!AMOUNT.test(gross) || (direction !== "CR" && direction !== "DR")) {
      throw new ReportFileInvalid(`${where}'s gross is not an amount with its direction`);
    }
    if (feeText !== "" && (!AMOUNT.test(feeText) || (feeDirection !== "CR" && feeDirection !== "DR"))) {
      throw new ReportFileInvalid(`${where}'s fee is not an amount with its direction`);
    }
    this.sectionRows += 1;
    this.reportRows += 1;
    for (const totals of [this.section, this.report]) {
      const t = totals.get(currency) ?? { grossCr: 0, grossDr: 0, feeCr: 0, feeDr: 0 };
      if (direction === "CR") t.grossCr += Number(gross);
      else t.grossDr += Number(gross);
      if (feeText !== "" && feeDirection === "CR") t.feeCr += Number(feeText);
      else if (feeText !== "") t.feeDr += Number(feeText);
      totals.set(currency, t);
    }
    const code = field("Transaction Event Code");
    const charge = /^T00\d\d$/.test(code) && direction === "CR";
    const refund = code === "T1107" && direction === "DR";
    if (!charge && !refund) return null;
    const minor = (text: string) => {
      const scale = 10 ** (2 - exponent);
      if (Number(text) % scale !== 0) throw new ReportFileInvalid(`${where} has a fraction ${currency} does not have`);
      return Number(text) / scale;
    };
    const fee = feeText === "" ? 0 : minor(feeText);
    this.lineNo += 1;
    return {
      lineNo: this.lineNo,
      kind: charge ? "charge" : "refund",
      reference: field("Transaction ID"),
      paymentReference: (charge ? field("Transaction ID") : field("PayPal Reference ID")) || null,
      amount: minor(gross),
      currency,
      // What PayPal keeps is a debit to the merchant; a fee credited back is a negative fee.
      fee: feeDirection === "CR" ? -fee : fee,
      authCode: null,
      bookedAt: field("Transaction Completion Date"),
    };
  }

  /** An SF or RF row: its currency's totals must be what the body rows added up to. */
  private footer(fields: string[], totals: Map<string, Totals>, what: string, where: string): void {
    const [, currency = "", ...amounts] = fields;
    const read = totals.get(currency) ?? { grossCr: 0, grossDr: 0, feeCr: 0, feeDr: 0 };
    const stated = amounts.slice(0, 4);
    if (stated.length < 4 || !stated.every((amount) => AMOUNT.test(amount))) {
      throw new ReportFileInvalid(`${where} is not a ${what} footer`);
    }
    const expected = [read.grossCr, read.grossDr, read.feeCr, read.feeDr].map(String);
    if (stated.join() !== expected.join()) throw new ReportFileInvalid(`the ${what}'s totals for ${currency} differ`);
    this.footers.add(currency);
  }

  private count(fields: string[], read: number, what: string, where: string): void {
    const stated = fields[1] ?? "";
    if (!/^\d{1,12}$/.test(stated)) throw new ReportFileInvalid(`${where} is not a record count`);
    if (Number(stated) !== read) throw new ReportFileInvalid(`the ${what} counts ${stated} records, it has ${read}`);
  }
}
