import type { merchants } from "../../db/schema/index.js";

export type MerchantRow = typeof merchants.$inferSelect;

/** The API's `merchant` object. */
export function merchantView(row: MerchantRow) {
  return {
    id: row.id,
    object: "merchant" as const,
    name: row.name,
    email: row.email,
    country: row.country,
    default_currency: row.defaultCurrency,
    status: row.status,
    settlement_config: row.settlementConfig,
    tokenization_origins: row.tokenizationOrigins,
    api_version: row.apiVersion,
    created: Math.floor(row.createdAt.getTime() / 1000),
    updated: Math.floor(row.updatedAt.getTime() / 1000),
    version: row.version,
  };
}
