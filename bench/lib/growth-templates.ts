import type pg from "pg";

/**
 * The rows the projection wrote for one real payment, read back as COPY text, so the cost-growth
 * benchmark can lay down a million payments exactly as the projection would have written them
 * (the same columns, jsonb shapes, events and movements) without a million trips through the
 * stack. Each table's rows keep every column but a serial id, in COPY's text format (PostgreSQL
 * docs, COPY, "Text Format": tab-separated, `\N` for null, backslash escapes).
 */
export interface TableRows {
  table: string;
  columns: string[];
  lines: string[];
}

/** A payment's rows, in the order a COPY may insert them (a row before those that reference it). */
export interface PaymentTemplate {
  /** The kind's name in the benchmark's mix: captured, failed, authorized, refunded. */
  kind: string;
  paymentId: string;
  merchantId: string;
  tables: TableRows[];
  /** Ids of the template's own rows (payment, attempts, events, movements, refunds, idempotency keys). */
  ids: string[];
}

/** The tables the projection writes for a payment, each with the column that ties its rows to it. */
const TABLES = [
  { table: "payments", where: "id = $1", serial: null },
  { table: "payment_attempts", where: "payment_id = $1", serial: null },
  { table: "payment_events", where: "payment_id = $1", serial: "id" },
  { table: "refunds", where: "payment_id = $1", serial: null },
  {
    table: "events",
    where: "object_id = $1 or object_id in (select id from refunds where payment_id = $1)",
    serial: null,
  },
  { table: "balance_transactions", where: "payment_id = $1", serial: null },
] as const;

/** Columns whose values name the template's own rows, replaced in every copy. */
const ID_COLUMNS = new Set(["id", "idempotency_key"]);

/** Leaves every value as the text Postgres sent: COPY wants that text, not JavaScript values. */
const asText = { getTypeParser: () => (value: string) => value };

function copyText(value: string | null): string {
  if (value === null) return "\\N";
  return value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

/** Reads back what the projection wrote for `paymentId`. */
export async function readTemplate(db: pg.Client, kind: string, paymentId: string): Promise<PaymentTemplate> {
  const tables: TableRows[] = [];
  const ids: string[] = [];
  let merchantId = "";
  for (const { table, where, serial } of TABLES) {
    const result = await db.query<Record<string, string | null>>({
      text: `select * from ${table} where ${where} order by created_at`,
      values: [paymentId],
      types: asText,
    });
    const columns = result.fields.map((field) => field.name).filter((name) => name !== serial);
    for (const row of result.rows) {
      for (const column of ID_COLUMNS) if (row[column] && serial !== column) ids.push(row[column]);
      if (table === "payments") merchantId = row.merchant_id ?? "";
    }
    tables.push({
      table,
      columns,
      lines: result.rows.map((row) => columns.map((c) => copyText(row[c] ?? null)).join("\t")),
    });
  }
  if (!merchantId) throw new Error(`the projection has no row for ${paymentId}`);
  return { kind, paymentId, merchantId, tables, ids };
}

/** The merchant's own row as COPY text, to clone the platform's other merchants from. */
export async function readMerchant(db: pg.Client, merchantId: string): Promise<TableRows> {
  const result = await db.query<Record<string, string | null>>({
    text: "select * from merchants where id = $1",
    values: [merchantId],
    types: asText,
  });
  const columns = result.fields.map((field) => field.name);
  return {
    table: "merchants",
    columns,
    lines: result.rows.map((row) => columns.map((c) => copyText(row[c] ?? null)).join("\t")),
  };
}
