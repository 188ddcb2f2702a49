import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";

/** A column the cursor row must match, and its value: the tenant, the mode, the endpoint. */
export type CursorScope = ReadonlyArray<readonly [AnyPgColumn, string | boolean]>;

/**
 * Keyset pagination, newest first: the rows after the cursor row in (created_at, id) order. The
 * cursor row's position is read in SQL, so Postgres' microseconds are compared (a JS Date would
 * drop them), and only within `scope` (the merchant and mode, or the endpoint), so another
 * tenant's or mode's id is no cursor and cannot be probed for (DESIGN invariant 6). No cursor:
 * no condition.
 */
export function afterCursor(
  table: PgTable,
  columns: { createdAt: AnyPgColumn; id: AnyPgColumn },
  cursorId: string | undefined,
  scope: CursorScope,
): SQL | undefined {
  if (!cursorId) return undefined;
  const { createdAt, id } = columns;
  const within = sql.join(
    scope.map(([column, value]) => sql` and ${column} = ${value}`),
    sql``,
  );
  return sql`(${createdAt}, ${id}) < (select ${createdAt}, ${id} from ${table} where ${id} = ${cursorId}${within})`;
}
