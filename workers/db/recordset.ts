import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/**
 * Rows of a table as one `jsonb` parameter, read back as typed rows by Postgres'
 * `jsonb_populate_recordset(null::<table>, ...)`: each value is cast to its column's type
 * (`timestamptz` from an ISO string, `jsonb` from a nested value, an enum from its label). One
 * parameter per table whatever the row count lets a batch's writes share one statement (data-
 * modifying CTEs) instead of one round trip each through Hyperdrive.
 * Every column is named: a value left `undefined` is written as NULL, never as the column's
 * default, so callers give each column they list a value (the row builders do).
 */
/** `insert into <table> (<columns>) select <columns> from jsonb_populate_recordset(...)`. */
export function insertRecordset<T extends PgTable>(table: T, rows: T["$inferInsert"][]): SQL {
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const keys = Object.keys(rows[0] ?? {});
  const names = keys.map((key) => {
    const column = columns[key];
    if (!column) throw new Error(`${getTableName(table)} has no column ${key}`);
    return column.name;
  });
  const json = rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [index, key] of keys.entries()) {
      out[names[index] as string] = (row as Record<string, unknown>)[key] ?? null;
    }
    return out;
  });
  const list = sql.join(
    names.map((name) => sql.identifier(name)),
    sql`, `,
  );
  return sql`insert into ${table} (${list}) select ${list} from jsonb_populate_recordset(null::${table}, ${JSON.stringify(json)}::jsonb)`;
}

/** `column = excluded.column` for each column an upsert may change (its `on conflict ... do update set`). */
export function setFromExcluded<T extends PgTable>(table: T, keys: readonly (keyof T["$inferInsert"] & string)[]): SQL {
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  return sql.join(
    keys.map((key) => {
      const column = columns[key];
      if (!column) throw new Error(`${getTableName(table)} has no column ${key}`);
      const name = sql.identifier(column.name);
      return sql`${name} = excluded.${name}`;
    }),
    sql`, `,
  );
}
