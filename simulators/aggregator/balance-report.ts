import { createHash } from "node:crypto";
import { z } from "zod";
import { CARD_BRANDS, type CardBrand } from "../../common/card-brands.js";
import { CURRENCY_MINOR_UNITS } from "../../common/currencies.js";
import { PROCESSOR_REGISTRY, processorFee } from "../../common/processor-registry.js";
import { csvRow, decimalOf } from "../reports/csv.js";
import { applyDiscrepancies, discrepancyLists, type ReportRecord } from "../reports/discrepancies.js";
import type { IntentRecord } from "./ledger.js";

/**
 * The columns of the day's itemized balance report, as Stripe's "Balance change from activity"
 * report (`balance_change_from_activity.itemized.3`, docs.stripe.com/reports/report-types/balance)
 * names them: one row per balance transaction, amounts in major units with the currency's
 * decimals (a refund's gross and net negative), the currency in lower case, times in UTC.
 */
export const BALANCE_REPORT_COLUMNS = [
  "balance_transaction_id",
  "created_utc",
  "available_on_utc",
  "currency",
  "gross",
  "fee",
  "net",
  "reporting_category",
  "source_id",
  "description",
  "customer_facing_amount",
  "customer_facing_currency",
  "charge_id",
  "payment_intent_id",
  "card_brand",
  "payment_method_type",
] as const;

/** Funds become available two days after the charge (a standard payout schedule: T+2). */
const AVAILABLE_AFTER_DAYS = 2;

/** A transaction as a test names it: the PaymentIntent or charge (its charge line), a refund, a balance transaction. */
const reference = z.string().regex(/^(pi|ch|re|txn)_[0-9A-Za-z]+$/, "reference must be a pi_, ch_, re_ or txn_ id");
const currency = z
  .string()
  .transform((code) => code.toLowerCase())
  .refine((code) => CURRENCY_MINOR_UNITS.has(code.toUpperCase()), "currency must be an ISO 4217 code");

export const balanceDiscrepanciesSchema = z.strictObject({
  ...discrepancyLists(reference, currency),
  /** Charges the gateway never sent, each on a PaymentIntent of its own unless one is named. */
  extra: z
    .array(
      z.strictObject({
        payment_intent: z
          .string()
          .regex(/^pi_[0-9A-Za-z]+$/)
          .optional(),
        amount: z.number().int().min(1).max(999_999_999_999),
        currency,
      }),
    )
    .max(1000)
    .default([]),
});

export type BalanceDiscrepancies = z.output<typeof balanceDiscrepanciesSchema>;
export const NO_BALANCE_DISCREPANCIES: BalanceDiscrepancies = balanceDiscrepanciesSchema.parse({});

interface BalanceLine extends ReportRecord {
  id: string;
  category: "charge" | "refund";
  at: string;
  sourceId: string;
  chargeId: string;
  intentId: string;
  description: string;
  brand: string;
}

/**
 * A balance transaction's id, derived from what moved the money: a report pulled twice is the
 * same bytes, as Stripe's ids stay put (its own are random; these need only be stable and unique).
 */
function balanceTransactionId(sourceId: string): string {
  return `txn_${createHash("sha256").update(sourceId).digest("base64url").replace(/[-_]/g, "").slice(0, 24)}`;
}

/** The aggregator's fee for a charge, from its fee table (the contract the gateway holds too), capped at the amount. */
function feeOf(record: IntentRecord): number {
  const brand = CARD_BRANDS.find((known): known is CardBrand => known === record.card?.brand) ?? null;
  const fee = processorFee(PROCESSOR_REGISTRY.aggregator, { amount: record.capturedAmount, brand, region: "domestic" });
  return Math.min(fee ?? 0, record.capturedAmount);
}

const capturedAt = (record: IntentRecord) => record.capturedAt ?? record.updatedAt;

/** The day's balance transactions (UTC), in time order: captured charges, and refunds (no fee back). */
function movementsOn(records: IntentRecord[], day: string): BalanceLine[] {
  const lines: BalanceLine[] = [];
  for (const record of records) {
    const common = {
      chargeId: record.chargeId ?? "",
      intentId: record.id,
      currency: record.currency,
      brand: record.card?.brand ?? "",
    };
    if (record.capturedAmount > 0 && record.chargeId && capturedAt(record).slice(0, 10) === day) {
      lines.push({
        ...common,
        id: balanceTransactionId(record.chargeId),
        category: "charge",
        at: capturedAt(record),
        sourceId: record.chargeId,
        description: record.description ?? "",
        amount: record.capturedAmount,
        fee: feeOf(record),
      });
    }
    for (const refund of record.refunds) {
      if (refund.createdAt.slice(0, 10) !== day) continue;
      lines.push({
        ...common,
        id: balanceTransactionId(refund.id),
        category: "refund",
        at: refund.createdAt,
        sourceId: refund.id,
        description: "REFUND FOR CHARGE",
        amount: refund.amount,
        fee: 0,
      });
    }
  }
  return lines.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

const utc = (iso: string) => iso.slice(0, 19).replace("T", " ");

function availableOn(iso: string): string {
  const at = new Date(iso);
  return utc(
    new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + AVAILABLE_AFTER_DAYS)).toISOString(),
  );
}

function row(line: BalanceLine): string {
  const exponent = CURRENCY_MINOR_UNITS.get(line.currency.toUpperCase()) ?? 2;
  const sign = line.category === "refund" ? -1 : 1;
  const fee = line.fee ?? 0;
  return csvRow([
    line.id,
    utc(line.at),
    availableOn(line.at),
    line.currency,
    decimalOf(sign * line.amount, exponent),
    decimalOf(fee, exponent),
    decimalOf(sign * line.amount - fee, exponent),
    line.category,
    line.sourceId,
    line.description,
    decimalOf(sign * line.amount, exponent),
    line.currency,
    line.chargeId,
    line.intentId,
    line.brand,
    "card",
  ]);
}

/**
 * The day's itemized balance report, row by row: the header, then one row per balance
 * transaction, wrong as `wrong` says. Stripe's report has no trailer; the drop states its digest
 * instead (report-drop.ts).
 */
export function* balanceReportLines(records: IntentRecord[], day: string, wrong: BalanceDiscrepancies) {
  yield BALANCE_REPORT_COLUMNS.join(",");
  const moved = applyDiscrepancies(movementsOn(records, day), wrong, (line) =>
    line.category === "charge" ? [line.id, line.sourceId, line.intentId] : [line.id, line.sourceId],
  );
  for (const line of moved) yield row(line);
  for (const [index, extra] of wrong.extra.entries()) {
    const serial = String(index + 1).padStart(8, "0");
    yield row({
      id: `txn_XTRA${serial}`,
      category: "charge",
      at: `${day}T12:00:00.000Z`,
      sourceId: `ch_XTRA${serial}`,
      chargeId: `ch_XTRA${serial}`,
      intentId: extra.payment_intent ?? `pi_XTRA${serial}`,
      description: "",
      brand: "visa",
      currency: extra.currency,
      amount: extra.amount,
      fee: 0,
    });
  }
}
