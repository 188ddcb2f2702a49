import type { balanceTransactions } from "../../db/schema/balance-transactions.js";

type Row = typeof balanceTransactions.$inferSelect;

/** The settlement CSV's columns, in order (RFC 4180; one line per balance transaction). */
export const SETTLEMENT_CSV_HEADER =
  "balance_transaction,type,source,payment,processor,currency,amount,fee,net,created,available_on\r\n";

/** A CSV field: quoted when it holds a comma, quote or line break; a leading formula character is neutralised. */
function field(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  // A spreadsheet runs a cell starting with = + - @ as a formula (OWASP CSV injection): a quote
  // before it keeps it text. Numbers are ours and negative ones stay numbers.
  const safe = typeof value === "string" && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function settlementCsvLine(row: Row): string {
  return `${[
    row.id,
    row.type,
    row.sourceId,
    row.paymentId,
    row.processor,
    row.currency.toLowerCase(),
    row.amount,
    row.fee,
    row.net,
    row.createdAt.toISOString(),
    row.availableOn,
  ]
    .map(field)
    .join(",")}\r\n`;
}

/** The same transaction in the JSON file, as the API shows balance transactions. */
export function settlementJsonItem(row: Row): string {
  return JSON.stringify({
    id: row.id,
    type: row.type,
    source: row.sourceId,
    payment: row.paymentId,
    processor: row.processor,
    currency: row.currency.toLowerCase(),
    amount: row.amount,
    fee: row.fee,
    net: row.net,
    created: Math.floor(row.createdAt.getTime() / 1000),
    available_on: row.availableOn,
  });
}
