import type { ReportType } from "../../db/schema/reports.js";

/**
 * What each report type lists: its table and its CSV columns, each a header and the SQL expression
 * that gives its text. Constants only (the table and expressions are never built from a request),
 * so they can be spliced into the query; the merchant, mode, range and cursor are parameters.
 * Money stays in minor units, currencies lower case and times ISO 8601 UTC, as the API shows them.
 */
export interface ReportSource {
  table: string;
  columns: readonly (readonly [header: string, expression: string])[];
}

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
const created = ["created", iso("created_at")] as const;
const currency = ["currency", "lower(currency)"] as const;

export const REPORT_SOURCES: Readonly<Record<ReportType, ReportSource>> = {
  payments: {
    table: "payments",
    columns: [
      ["id", "id"],
      created,
      ["status", "status"],
      ["amount", "amount::text"],
      ["amount_captured", "amount_captured::text"],
      ["amount_refunded", "amount_refunded::text"],
      currency,
      ["capture_method", "capture_method"],
      ["payment_method", "payment_method_type"],
      ["processor", "processor"],
      ["decline_code", "decline_code"],
      ["customer", "customer_id"],
      ["description", "description"],
    ],
  },
  refunds: {
    table: "refunds",
    columns: [
      ["id", "id"],
      created,
      ["payment", "payment_id"],
      ["amount", "amount::text"],
      currency,
      ["status", "status"],
      ["reason", "reason"],
      ["failure_code", "failure_code"],
    ],
  },
  balance_transactions: {
    table: "balance_transactions",
    columns: [
      ["id", "id"],
      created,
      ["type", "type"],
      ["amount", "amount::text"],
      ["fee", "fee::text"],
      ["net", "net::text"],
      currency,
      ["status", "status"],
      ["source", "source_id"],
      ["payment", "payment_id"],
      ["processor", "processor"],
      ["available_on", "available_on::text"],
      ["settlement", "settlement_id"],
    ],
  },
  disputes: {
    table: "disputes",
    columns: [
      ["id", "id"],
      created,
      ["payment", "payment_id"],
      ["amount", "amount::text"],
      currency,
      ["reason", "reason"],
      ["status", "status"],
    ],
  },
  settlements: {
    table: "settlements",
    columns: [
      ["id", "id"],
      created,
      ["day", "day::text"],
      ["payout_on", "payout_on::text"],
      currency,
      ["transaction_count", "transaction_count::text"],
      ["amount", "amount::text"],
      ["fee", "fee::text"],
      ["net", "net::text"],
      ["status", "status"],
    ],
  },
};
