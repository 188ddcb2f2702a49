import { sql } from "drizzle-orm";
import { char, check, pgTable, smallint } from "drizzle-orm/pg-core";

/**
 * ISO 4217 reference data: the currencies we accept and their minor-unit exponent.
 * Rows come from `common/currencies.ts` through a generated migration, so the edge and the
 * database agree on the list (a test compares them).
 */
export const currencies = pgTable(
  "currencies",
  {
    code: char("code", { length: 3 }).primaryKey(),
    minorUnit: smallint("minor_unit").notNull(),
  },
  (t) => [
    check("currencies_code_shape", sql`${t.code} ~ '^[A-Z]{3}$'`),
    check("currencies_minor_unit_range", sql`${t.minorUnit} between 0 and 4`),
  ],
);
