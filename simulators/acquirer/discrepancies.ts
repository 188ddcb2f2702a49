import { z } from "zod";
import { CURRENCY_NUMERIC } from "../../vault-service/connectors/card-network/currency-numeric.js";
import { applyDiscrepancies as applyLists, discrepancyLists, type ReportRecord } from "../reports/discrepancies.js";

/**
 * A transaction as a test names it: its RRN (ISO 8583 field 37, 12 characters), or the gateway's
 * processor reference, which starts with it (`RRN-MTI-STAN-MMDDhhmmss[-network]`).
 */
const reference = z
  .string()
  .regex(
    /^[0-9A-Za-z]{12}(-[0-9A-Za-z-]*)?$/,
    "reference must be an RRN (12 characters) or a reference starting with one",
  )
  .transform((text) => text.slice(0, 12));

const currency = z
  .string()
  .transform((code) => code.toUpperCase())
  .refine((code) => CURRENCY_NUMERIC[code] !== undefined, "currency must be one the acquirer clears");

/**
 * What the next clearing files get wrong on purpose (`PUT /reports/discrepancies`; the kinds are
 * simulators/reports/discrepancies.ts's), and one line for each transaction the gateway never sent.
 */
export const discrepanciesSchema = z.strictObject({
  ...discrepancyLists(reference, currency),
  /** Lines for transactions the gateway never sent (an RRN of its own unless given). */
  extra: z
    .array(
      z.strictObject({
        rrn: z
          .string()
          .regex(/^[0-9A-Za-z]{12}$/)
          .optional(),
        amount: z.number().int().min(1).max(999_999_999_999),
        currency,
      }),
    )
    .max(1000)
    .default([]),
});

export type Discrepancies = z.output<typeof discrepanciesSchema>;

export const NO_DISCREPANCIES: Discrepancies = discrepanciesSchema.parse({});

/** One detail line before it is written: what a discrepancy may change. */
export interface ClearingRecord extends ReportRecord {
  rrn: string;
  /** ISO 4217 numeric, as field 49 carried it. */
  currency: string;
}

/**
 * The records as the file will list them: each dropped one left out, each altered one changed
 * (a currency asked in ISO 4217 alphabetic written numeric), each duplicated one twice. Extra
 * lines are the file's to add (they have no entry).
 */
export function applyDiscrepancies<T extends ClearingRecord>(records: Iterable<T>, wrong: Discrepancies): Generator<T> {
  return applyLists(
    records,
    wrong,
    (record) => [record.rrn],
    (code) => CURRENCY_NUMERIC[code] ?? code,
  );
}

/** The extra lines' RRNs: given, or `XTRA` and a sequence, which no terminal mints (they start with a digit). */
export function extraRrn(extra: Discrepancies["extra"][number], index: number): string {
  return extra.rrn ?? `XTRA${String(index + 1).padStart(8, "0")}`;
}
