import { sql } from "drizzle-orm";
import { char, check, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";

/**
 * OAuth 2.0 clients of the ops API (RFC 6749 §4.4, client credentials). Like API keys, the
 * client secret is stored only as a keyed hash.
 */
export const opsClients = pgTable(
  "ops_clients",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    secretHash: char("secret_hash", { length: 64 }).notNull(),
    scopes: text("scopes").array().notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("ops_clients_secret_hash").on(t.secretHash),
    check("ops_clients_hash_shape", sql`${t.secretHash} ~ '^[0-9a-f]{64}$'`),
  ],
);
