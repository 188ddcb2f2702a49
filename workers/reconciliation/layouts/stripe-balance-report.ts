import { CURRENCY_MINOR_UNITS } from "../../../common/currencies.js";
import type { FileLine } from "../reconciliation-matcher.js";
import { ReportFileInvalid } from "../report-file-invalid.js";
import { type CsvRecord, CsvReportReader, minorOf } from "./report-reader.js";

/** The columns read, by Stripe's names (its reports may add columns or move them: read by name). */
const NEEDED = [
  "balance_transaction_id",
  "created_utc",
  "currency",
  "gross",
  "fee",
  "net",
  "reporting_category",
  "source_id",
  "payment_intent_id",
] as const;

/**
 * Reads the aggregator's itemized balance report (Stripe's "Balance change from activity",
 * `balance_change_from_activity.itemized.3`; simulators/aggregator/balance-report.ts writes it):
 * a CSV header naming the columns, then one row per balance transaction, amounts in major units
 * with the currency's decimals. Charges and refunds are read (a refund's gross negative); rows of
 * other reporting categories (fees, adjustments, disputes) are not the movements reconciled here
 * and are read past. Every row must be of the day asked for and add up (gross - fee = net). The
 * layout has no trailer: the drop's digest tells a report cut short (report-pull.ts). A line is
 * named by its source (`ch_`, `re_`) and its payment by the PaymentIntent, the reference the
 * gateway keeps.
 */
export class StripeBalanceReportReader extends CsvReportReader<(typeof NEEDED)[number]> {
  constructor(day: string) {
    super(NEEDED, day);
  }

  protected record({ field, where }: CsvRecord<(typeof NEEDED)[number]>): FileLine | null {
    const category = field("reporting_category");
    if (!field("created_utc").startsWith(`${this.day} `)) {
      throw new ReportFileInvalid(`${where} is for ${field("created_utc").slice(0, 10) || "no day"}, not ${this.day}`);
    }
    if (category !== "charge" && category !== "refund") return null;
    const currency = field("currency").toUpperCase();
    const exponent = CURRENCY_MINOR_UNITS.get(currency);
    if (exponent === undefined) throw new ReportFileInvalid(`${where}'s currency is not an ISO 4217 code`);
    const gross = minorOf(field("gross"), exponent);
    const fee = minorOf(field("fee"), exponent);
    const net = minorOf(field("net"), exponent);
    if (gross === null || fee === null || net === null || gross - fee !== net) {
      throw new ReportFileInvalid(`${where}'s amounts are not amounts of ${currency} that add up`);
    }
    if ((category === "charge") !== gross > 0 || !field("source_id")) {
      throw new ReportFileInvalid(`${where} is not a ${category} row`);
    }
    this.lineNo += 1;
    return {
      lineNo: this.lineNo,
      kind: category,
      reference: field("source_id"),
      paymentReference: field("payment_intent_id") || null,
      amount: Math.abs(gross),
      currency,
      fee,
      authCode: null,
      bookedAt: field("created_utc"),
    };
  }
}
