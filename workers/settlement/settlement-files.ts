import type { balanceTransactions } from "../../db/schema/balance-transactions.js";
import { csvLine } from "../reports/csv.js";

type Row = typeof balanceTransactions.$inferSelect;

/** The settlement CSV's columns, in order (RFC 4180; one line per balance transaction). */
export const SETTLEMENT_CSV_HEADER =
  "balance_transaction,type,source,payment,processor,currency,amount,fee,net,created,available_on\r\n";

export function settlementCsvLine(row: Row): string {
  return csvLine([
    row.id,
    row.type,
    row.sourceId,
    row.paymentId,
    row.processor,
    row.currency.toLowerCase(),
    String(row.amount),
    String(row.fee),
    String(row.net),
    row.createdAt.toISOString(),
    row.availableOn,
  ]);
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
