import { sql } from "drizzle-orm";
import { bigint, char, timestamp } from "drizzle-orm/pg-core";

/**
 * Column helpers shared by every table, so money and time look the same everywhere.
 * Money is an integer count of the currency's minor unit (cents, paise, yen): never a float.
 */
export const minorUnits = (name: string) => bigint(name, { mode: "number" });

/** ISO 4217 alphabetic code; every money column sits beside one of these (FK to `currencies`). */
export const currencyCode = (name: string) => char(name, { length: 3 });

export const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

/** A CHECK fragment pinning a currency column to the ISO 4217 shape (the FK pins the list). */
export const isoCurrencyShape = (column: string) => sql.raw(`${column} ~ '^[A-Z]{3}$'`);
