import { sql } from "drizzle-orm";
import { boolean, check, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import type { RoutingConfig } from "../../workers/routing/routing-config.js";
import { updatedAt } from "./columns.js";
import { merchants } from "./merchants.js";

/**
 * A merchant's routing rules, one row per mode (`PUT /v1/routing`). No row: the platform default,
 * shown as version 0. `version` increases by one on every change (optimistic concurrency: a
 * `PUT` with `expected_version` is refused when another change came first).
 */
export const routingConfigs = pgTable(
  "routing_configs",
  {
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    livemode: boolean("livemode").notNull(),
    version: integer("version").notNull(),
    config: jsonb("config").$type<RoutingConfig>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.livemode] }),
    check("routing_configs_version_positive", sql`${t.version} > 0`),
    check("routing_configs_config_object", sql`jsonb_typeof(${t.config}) = 'object'`),
  ],
);
