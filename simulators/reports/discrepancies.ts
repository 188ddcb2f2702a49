import { z } from "zod";

const minor = z.number().int().min(0).max(999_999_999_999);

/**
 * What the next reports of a simulator get wrong on purpose (`PUT /reports/discrepancies` on its
 * admin API), so a reconciler can be shown to find each kind: a transaction left out, settled for
 * another amount, in another currency or with another fee, listed twice. Each processor names its
 * transactions its own way (`reference`) and settles its own currencies (`currency`); the lines
 * for transactions the gateway never sent (`extra`) are each layout's own shape, added by the
 * caller.
 */
export function discrepancyLists<R extends z.ZodType<string>, C extends z.ZodType<string>>(reference: R, currency: C) {
  return {
    drop: z.array(reference).max(1000).default([]),
    amount: z
      .array(z.strictObject({ reference, amount: minor }))
      .max(1000)
      .default([]),
    duplicate: z.array(reference).max(1000).default([]),
    currency: z.array(z.strictObject({ reference, currency })).max(1000).default([]),
    fee: z
      .array(z.strictObject({ reference, fee: minor }))
      .max(1000)
      .default([]),
  };
}

/** The lists as parsed: references as the processor names them, currencies as its file writes them. */
export interface DiscrepancyLists {
  drop: string[];
  amount: { reference: string; amount: number }[];
  duplicate: string[];
  currency: { reference: string; currency: string }[];
  fee: { reference: string; fee: number }[];
}

/** One line of a report before it is written: what a discrepancy may change. */
export interface ReportRecord {
  currency: string;
  amount: number;
  fee: number | null;
}

/**
 * The records as the report will list them: each dropped one left out, each altered one changed,
 * each duplicated one twice. A record answers to every id `idsOf` gives (an RRN and the
 * reference it starts, a charge and its PaymentIntent, ...); `currencyOf` turns a currency as
 * asked into the file's own code (ISO 4217 numeric for an acquirer).
 */
export function* applyDiscrepancies<T extends ReportRecord>(
  records: Iterable<T>,
  wrong: DiscrepancyLists,
  idsOf: (record: T) => readonly string[],
  currencyOf: (code: string) => string = (code) => code,
): Generator<T> {
  const dropped = new Set(wrong.drop);
  const twice = new Set(wrong.duplicate);
  const amounts = new Map(wrong.amount.map((change) => [change.reference, change.amount]));
  const currencies = new Map(wrong.currency.map((change) => [change.reference, currencyOf(change.currency)]));
  const fees = new Map(wrong.fee.map((change) => [change.reference, change.fee]));
  const first = <V>(changes: Map<string, V>, ids: readonly string[]) =>
    ids.map((id) => changes.get(id)).find((value) => value !== undefined);
  for (const record of records) {
    const ids = idsOf(record);
    if (ids.some((id) => dropped.has(id))) continue;
    const line: T = {
      ...record,
      amount: first(amounts, ids) ?? record.amount,
      currency: first(currencies, ids) ?? record.currency,
      fee: first(fees, ids) ?? record.fee,
    };
    yield line;
    if (ids.some((id) => twice.has(id))) yield line;
  }
}
