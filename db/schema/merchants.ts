import { sql } from "drizzle-orm";
import { char, check, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import type { ApiVersion } from "../../workers/versions/api-versions.js";
import { createdAt, currencyCode, updatedAt } from "./columns.js";
import { currencies } from "./currencies.js";

/** How and when a merchant's captured funds are paid out (read by the settlement batch). */
export interface SettlementConfig {
  schedule: "daily" | "weekly" | "monthly";
  delay_days: number;
  /** The UTC hour the business day closes at for settlement (absent: 0, midnight). */
  cutoff_hour?: number;
  currency: string;
  statement_descriptor: string | null;
}

/**
 * The seed's `merchants` table. Departures, on purpose:
 * - `api_key_hash` lives in `api_keys` (many keys per merchant, so keys can be rolled);
 * - `webhook_url` lives in `webhook_endpoints` (several endpoints per merchant).
 */
export const merchants = pgTable(
  "merchants",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    country: char("country", { length: 2 }).notNull(),
    defaultCurrency: currencyCode("default_currency")
      .notNull()
      .references(() => currencies.code),
    status: text("status").notNull().default("active"),
    settlementConfig: jsonb("settlement_config").$type<SettlementConfig>().notNull(),
    /** Browser origins allowed to call the vault's tokenization endpoint with this merchant's publishable key. */
    tokenizationOrigins: text("tokenization_origins").array().notNull().default(sql`'{}'::text[]`),
    /** Per-group rate-limit overrides set by ops (`PUT /v1/merchants/{id}/rate_limits`); {} = defaults. */
    rateLimits: jsonb("rate_limits")
      .$type<Record<string, { limit: number; window_seconds: number }>>()
      .notNull()
      .default({}),
    /**
     * The API version requests without `Api-Version` get. New merchants start on the latest
     * (createMerchant sets it); the column default pins merchants from before versioning to the
     * launch version, whose shapes they were built against.
     */
    apiVersion: text("api_version").$type<ApiVersion>().notNull().default("2026-11-01"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("merchants_status", sql`${t.status} in ('active', 'disabled')`),
    check("merchants_country_shape", sql`${t.country} ~ '^[A-Z]{2}$'`),
    check("merchants_email_shape", sql`position('@' in ${t.email}) > 1`),
    check("merchants_settlement_config_object", sql`jsonb_typeof(${t.settlementConfig}) = 'object'`),
  ],
);
