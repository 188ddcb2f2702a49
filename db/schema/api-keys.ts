import { sql } from "drizzle-orm";
import { boolean, char, check, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { merchants } from "./merchants.js";

/**
 * A merchant's API keys. The key itself is never stored: `secret_hash` is HMAC-SHA256 of the key
 * under a server-side pepper (PCI DSS 8.3.2: authentication factors unreadable in storage), and
 * `last4` is kept only so a dashboard can tell keys apart.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    type: text("type").notNull(),
    livemode: boolean("livemode").notNull(),
    name: text("name"),
    secretHash: char("secret_hash", { length: 64 }).notNull(),
    last4: char("last4", { length: 4 }).notNull(),
    allowedIps: text("allowed_ips").array().notNull().default(sql`'{}'::text[]`),
    /** Set when the key was rolled: it keeps working until then (the caller's chosen overlap). */
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
    rolledToId: text("rolled_to_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("api_keys_secret_hash").on(t.secretHash),
    index("api_keys_merchant").on(t.merchantId, t.createdAt),
    check("api_keys_type", sql`${t.type} in ('secret', 'publishable')`),
    check("api_keys_hash_shape", sql`${t.secretHash} ~ '^[0-9a-f]{64}$'`),
  ],
);
