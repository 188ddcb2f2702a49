import { type SQL, sql } from "drizzle-orm";
import type { ProcessorId } from "../../common/processor-registry.js";
import { ClearingFileReader } from "./layouts/acquirer-clearing-file.js";
import { NpciSettlementFileReader } from "./layouts/npci-settlement-file.js";
import { PayPalSettlementReportReader } from "./layouts/paypal-settlement-report.js";
import type { ReportReader } from "./layouts/report-reader.js";
import { StripeBalanceReportReader } from "./layouts/stripe-balance-report.js";
import type { Compared } from "./reconciliation-matcher.js";

/** How the gateway reconciles one processor's daily file: its layout, its keys, what compares. */
export interface ReportLayout {
  /** What the drop answers with (the pull's `Accept`). */
  mediaType: string;
  /** A reader of one day's file, as it streams in: it checks the day and, where the layout has one, the trailer. */
  reader(day: string): ReportReader;
  /**
   * Whether the drop must state the file's SHA-256 (`Repr-Digest`, RFC 9530): a layout with no
   * trailer or footer tells a file cut short no other way. One stated is checked whatever this says.
   */
  digestRequired: boolean;
  /**
   * The payment's key in the processor's files, from what the gateway keeps: an SQL expression
   * over the payment row `p` (null when the payment has no key of that shape). A file's line names
   * its payment the same way (`FileLine.paymentReference`); a refund is keyed by its payment, as
   * the gateway keeps no processor id of a refund in Postgres.
   */
  paymentReference: SQL;
  /** The fields compared beyond amount and currency (each only when the file has it). */
  compared: Compared;
}

/** An ISO 8583 acquirer: the RRN (field 37) its processor reference starts with (`RRN-MTI-STAN-MMDDhhmmss[-network]`). */
const acquirer: ReportLayout = {
  mediaType: "text/plain",
  reader: (day) => new ClearingFileReader(day),
  digestRequired: false,
  paymentReference: sql`case when p.processor_reference ~ '^[0-9A-Za-z]{12}-' then left(p.processor_reference, 12) end`,
  compared: { fee: true, authCode: true },
};

/**
 * Every processor's layout (an exhaustive map: a processor added to the registry does not
 * compile until the gateway can read its files). The aggregator's lines name the PaymentIntent,
 * which is the payment's processor reference; the UPI switch's the txn id the gateway made
 * (`payments.upi.txn_id`; the processor reference is the RRN, which a refund's row does not
 * carry for its payment); the wallet's the capture (`payments.wallet.capture_id`; a manual
 * payment's processor reference is its authorization).
 */
export const REPORT_LAYOUTS: Readonly<Record<ProcessorId, ReportLayout>> = {
  acquirer_a: acquirer,
  acquirer_b: acquirer,
  aggregator: {
    mediaType: "text/csv",
    reader: (day) => new StripeBalanceReportReader(day),
    digestRequired: true,
    paymentReference: sql`case when p.processor_reference ~ '^pi_[0-9A-Za-z]+$' then p.processor_reference end`,
    compared: { fee: true, authCode: false },
  },
  upi_switch: {
    mediaType: "text/csv",
    reader: (day) => new NpciSettlementFileReader(day),
    digestRequired: true,
    paymentReference: sql`p.upi->>'txn_id'`,
    compared: { fee: true, authCode: true },
  },
  paypal: {
    mediaType: "text/csv",
    reader: (day) => new PayPalSettlementReportReader(day),
    digestRequired: false,
    paymentReference: sql`p.wallet->>'capture_id'`,
    compared: { fee: true, authCode: false },
  },
};
