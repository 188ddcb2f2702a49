import { z } from "zod";
import { CURRENCY_NUMERIC } from "../../vault-service/connectors/card-network/currency-numeric.js";

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

const minor = z.number().int().min(0).max(999_999_999_999);

/**
 * What the next clearing files get wrong on purpose (`PUT /reports/discrepancies`), so a
 * reconciler can be shown to find each kind: a transaction left out, cleared for another amount,
 * in another currency or with another fee, listed twice, and one the gateway never sent.
 */
export const discrepanciesSchema = z.strictObject({
  drop: z.array(reference).max(1000).default([]),
  amount: z
    .array(z.strictObject({ reference, amount: minor }))
    .max(1000)
    .default([]),
  duplicate: z.array(reference).max(1000).default([]),
  currency: z
    .array(
      z.strictObject({
        reference,
        currency: z
          .string()
          .transform((code) => code.toUpperCase())
          .refine((code) => CURRENCY_NUMERIC[code] !== undefined, "currency must be one the acquirer clears"),
      }),
    )
    .max(1000)
    .default([]),
  fee: z
    .array(z.strictObject({ reference, fee: minor }))
    .max(1000)
    .default([]),
  /** Lines for transactions the gateway never sent (an RRN of its own unless given). */
  extra: z
    .array(
      z.strictObject({
        rrn: z
          .string()
          .regex(/^[0-9A-Za-z]{12}$/)
          .optional(),
        amount: minor.min(1),
        currency: z
          .string()
          .transform((code) => code.toUpperCase())
          .refine((code) => CURRENCY_NUMERIC[code] !== undefined, "currency must be one the acquirer clears"),
      }),
    )
    .max(1000)
    .default([]),
});

export type Discrepancies = z.output<typeof discrepanciesSchema>;

export const NO_DISCREPANCIES: Discrepancies = discrepanciesSchema.parse({});

/** One detail line before it is written: what a discrepancy may change. */
export interface ClearingRecord {
  rrn: string;
  /** ISO 4217 numeric, as field 49 carried it. */
  currency: string;
  amount: number;
  fee: number | null;
}

/**
 * The records as the file will list them: each dropped one left out, each altered one changed,
 * each duplicated one twice. Extra lines are the file's to add (they have no entry).
 */
export function* applyDiscrepancies<T extends ClearingRecord>(
  records: Iterable<T>,
  wrong: Discrepancies,
): Generator<T> {
  const dropped = new Set(wrong.drop);
  const twice = new Set(wrong.duplicate);
  const amounts = new Map(wrong.amount.map((change) => [change.reference, change.amount]));
  const currencies = new Map(wrong.currency.map((change) => [change.reference, CURRENCY_NUMERIC[change.currency]]));
  const fees = new Map(wrong.fee.map((change) => [change.reference, change.fee]));
  for (const record of records) {
    if (dropped.has(record.rrn)) continue;
    const line: T = {
      ...record,
      amount: amounts.get(record.rrn) ?? record.amount,
      currency: currencies.get(record.rrn) ?? record.currency,
      fee: fees.get(record.rrn) ?? record.fee,
    };
    yield line;
    if (twice.has(record.rrn)) yield line;
  }
}

/** The extra lines' RRNs: given, or `XTRA` and a sequence, which no terminal mints (they start with a digit). */
export function extraRrn(extra: Discrepancies["extra"][number], index: number): string {
  return extra.rrn ?? `XTRA${String(index + 1).padStart(8, "0")}`;
}
