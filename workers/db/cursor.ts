import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";

/**
 * Keyset pagination, newest first: the rows after the cursor row in (created_at, id) order. The
 * cursor row's position is read in SQL, so Postgres' microseconds are compared (a JS Date would
 * drop them), and only within `scope` (the merchant or endpoint), so another tenant's id is no
 * cursor. No cursor: no condition.
 */
export function afterCursor(
  table: PgTable,
  columns: { createdAt: AnyPgColumn; id: AnyPgColumn },
  cursorId: string | undefined,
  scope?: [AnyPgColumn, string],
): SQL | undefined {
  if (!cursorId) return undefined;
  const { createdAt, id } = columns;
  const within = scope ? sql` and ${scope[0]} = ${scope[1]}` : sql``;
  return sql`(${createdAt}, ${id}) < (select ${createdAt}, ${id} from ${table} where ${id} = ${cursorId}${within})`;
}
