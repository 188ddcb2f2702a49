import { z } from "zod";
import { CURRENCY_MINOR_UNITS } from "../../common/currencies.js";
import { PROCESSOR_REGISTRY, processorFee } from "../../common/processor-registry.js";
import { applyDiscrepancies, discrepancyLists, type ReportRecord } from "../reports/discrepancies.js";
import type { CaptureRecord, OrderRecord } from "./books.js";
import { PAYPAL_CURRENCIES } from "./money.js";

/**
 * The wallet's daily settlement report, in the layout of PayPal's Settlement Report (STL,
 * developer.paypal.com/docs/reports/sftp-reports/settlement-report): CSV whose first field says
 * what each row is, varchar fields quoted, amounts unsigned with two implied decimals whatever
 * the currency (USD 100.00 and JPY 10000 are both 10000), their direction in a CR/DR column:
 *   "RH", generated at, "A" (all activity), account id, report version (011)
 *   "FH", file sequence (01)
 *   "SH", section start, section end (the day, UTC: "YYYY/MM/DD HH:MM:SS +0000"), account id, ""
 *   "CH", the section body's column names (SB_COLUMNS)
 *   "SB", one row per money movement: a capture (T0006, PayPal Checkout APIs: gross CR, fee DR)
 *         or a refund (T1107, payment refund: gross DR; no fee back, so none shown)
 *   "SF", per currency: total gross CR, total gross DR, total fee CR, total fee DR
 *   "SC", the section's SB rows
 *   "RF", per currency: the report's totals, as SF
 *   "RC", the report's SB rows
 *   "FF", the file's rows, this one included
 * A capture's PayPal Reference ID is its order (ODR) or its authorization (TXN); a refund's is
 * the capture it refunds (TXN). A report cut short lacks its footers or their counts disagree.
 */
export const SB_COLUMNS = [
  "Transaction ID",
  "Invoice ID",
  "PayPal Reference ID",
  "PayPal Reference ID Type",
  "Transaction Event Code",
  "Transaction Initiation Date",
  "Transaction Completion Date",
  "Transaction Debit or Credit",
  "Gross Transaction Amount",
  "Gross Transaction Currency",
  "Fee Debit or Credit",
  "Fee Amount",
  "Fee Currency",
  "Custom Field",
  "Consumer ID",
] as const;

/** The simulator's merchant account, as the report names it (PayPal's 13-character account ids). */
const ACCOUNT_ID = "SIMWALLETACCT";
const REPORT_VERSION = "011";

/** A transaction as a test names it: a capture, a refund or an order (PayPal's 17-character ids). */
const reference = z.string().regex(/^[A-Z0-9]{17}$/, "reference must be a PayPal id (17 characters)");
const currency = z
  .string()
  .transform((code) => code.toUpperCase())
  .refine((code) => PAYPAL_CURRENCIES.has(code), "currency must be one PayPal takes");

/** What the next reports get wrong on purpose (`PUT /reports/discrepancies`); amounts and fees in ISO minor units. */
export const stlDiscrepanciesSchema = z.strictObject({
  ...discrepancyLists(reference, currency),
  /** Captures the gateway never sent, each with a transaction id of its own unless one is given. */
  extra: z
    .array(
      z.strictObject({
        transaction_id: reference.optional(),
        amount: z.number().int().min(1).max(999_999_999_999),
        currency,
      }),
    )
    .max(1000)
    .default([]),
});

export type StlDiscrepancies = z.output<typeof stlDiscrepanciesSchema>;
export const NO_STL_DISCREPANCIES: StlDiscrepancies = stlDiscrepanciesSchema.parse({});

interface Movement extends ReportRecord {
  id: string;
  kind: "capture" | "refund";
  referenceId: string;
  referenceType: "ODR" | "TXN";
  at: string;
  invoiceId: string;
  customId: string;
  payer: string;
  /** Ids a discrepancy may name it by. */
  ids: string[];
  /** ISO minor units. */
  amount: number;
  fee: number;
}

const SETTLED: ReadonlySet<CaptureRecord["status"]> = new Set(["COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED"]);
const completedAt = (capture: CaptureRecord) => capture.completedAt ?? capture.createdAt;

/** PayPal's fee for a capture, from its fee table (the contract the gateway holds too), capped at the amount. */
const feeOf = (amount: number) =>
  Math.min(processorFee(PROCESSOR_REGISTRY.paypal, { amount, brand: null, region: "international" }) ?? 0, amount);

/** The day's captures that completed and refunds (UTC), in time order. */
function movementsOn(orders: OrderRecord[], day: string): Movement[] {
  const moved: Movement[] = [];
  for (const order of orders) {
    const common = {
      currency: order.currency,
      invoiceId: order.invoiceId ?? "",
      customId: order.customId ?? "",
      payer: order.payer?.email ?? "",
    };
    for (const capture of order.captures) {
      if (!SETTLED.has(capture.status) || completedAt(capture).slice(0, 10) !== day) continue;
      moved.push({
        ...common,
        id: capture.id,
        kind: "capture",
        referenceId: capture.authorizationId ?? order.id,
        referenceType: capture.authorizationId ? "TXN" : "ODR",
        at: completedAt(capture),
        amount: capture.amountMinor,
        fee: feeOf(capture.amountMinor),
        ids: [capture.id, order.id],
      });
    }
    for (const refund of order.refunds) {
      if (refund.createdAt.slice(0, 10) !== day) continue;
      moved.push({
        ...common,
        id: refund.id,
        kind: "refund",
        referenceId: refund.captureId,
        referenceType: "TXN",
        at: refund.createdAt,
        amount: refund.amountMinor,
        fee: 0,
        ids: [refund.id],
      });
    }
  }
  return moved.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

/** ISO minor units as the report writes them: two implied decimals, whatever the currency's own. */
const reportAmount = (minor: number, code: string) => minor * 10 ** (2 - (CURRENCY_MINOR_UNITS.get(code) ?? 2));
const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;
const stamp = (iso: string) => `${iso.slice(0, 10).replaceAll("-", "/")} ${iso.slice(11, 19)} +0000`;

interface Totals {
  grossCr: number;
  grossDr: number;
  feeCr: number;
  feeDr: number;
}

function body(line: Movement): string {
  const charge = line.kind === "capture";
  const fee = line.fee ?? 0;
  return [
    quoted("SB"),
    quoted(line.id),
    quoted(line.invoiceId),
    quoted(line.referenceId),
    quoted(line.referenceType),
    quoted(charge ? "T0006" : "T1107"),
    quoted(stamp(line.at)),
    quoted(stamp(line.at)),
    quoted(charge ? "CR" : "DR"),
    String(reportAmount(line.amount, line.currency)),
    quoted(line.currency),
    // No fee, none shown (the spec's rule); a capture's fee is a debit.
    fee === 0 ? quoted("") : quoted("DR"),
    fee === 0 ? "" : String(reportAmount(fee, line.currency)),
    fee === 0 ? quoted("") : quoted(line.currency),
    quoted(line.customId),
    quoted(line.payer),
  ].join(",");
}

const footers = (type: "SF" | "RF", totals: Map<string, Totals>) =>
  [...totals].map(([code, t]) =>
    [quoted(type), quoted(code), String(t.grossCr), String(t.grossDr), String(t.feeCr), String(t.feeDr)].join(","),
  );

/** The day's report, row by row, wrong as `wrong` says. */
export function* settlementReportLines(orders: OrderRecord[], day: string, wrong: StlDiscrepancies): Generator<string> {
  const extras = wrong.extra.map(
    (extra, index): Movement => ({
      id: extra.transaction_id ?? `XTRA${String(index + 1).padStart(13, "0")}`,
      kind: "capture",
      referenceId: `XTRAORDER${String(index + 1).padStart(8, "0")}`,
      referenceType: "ODR",
      at: `${day}T12:00:00.000Z`,
      invoiceId: "",
      customId: "",
      payer: "",
      ids: [],
      amount: extra.amount,
      currency: extra.currency,
      fee: 0,
    }),
  );
  const totals = new Map<string, Totals>();
  let count = 0;
  yield [quoted("RH"), quoted(stamp(`${day}T23:59:59Z`)), quoted("A"), quoted(ACCOUNT_ID), REPORT_VERSION].join(",");
  yield [quoted("FH"), "01"].join(",");
  yield [
    quoted("SH"),
    quoted(stamp(`${day}T00:00:00Z`)),
    quoted(stamp(`${day}T23:59:59Z`)),
    quoted(ACCOUNT_ID),
    quoted(""),
  ].join(",");
  yield [quoted("CH"), ...SB_COLUMNS.map(quoted)].join(",");
  const tally = (line: Movement): string => {
    count += 1;
    const t = totals.get(line.currency) ?? { grossCr: 0, grossDr: 0, feeCr: 0, feeDr: 0 };
    const gross = reportAmount(line.amount, line.currency);
    if (line.kind === "capture") t.grossCr += gross;
    else t.grossDr += gross;
    t.feeDr += reportAmount(line.fee ?? 0, line.currency);
    totals.set(line.currency, t);
    return body(line);
  };
  for (const line of applyDiscrepancies(movementsOn(orders, day), wrong, (moved) => moved.ids)) yield tally(line);
  for (const line of extras) yield tally(line);
  yield* footers("SF", totals);
  yield [quoted("SC"), String(count)].join(",");
  yield* footers("RF", totals);
  yield [quoted("RC"), String(count)].join(",");
  // Every row so far (RH, FH, SH, CH, the SB rows, SF and RF per currency, SC, RC) and this one.
  yield [quoted("FF"), String(4 + count + 2 * totals.size + 2 + 1)].join(",");
}
