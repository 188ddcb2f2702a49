import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys.js";

/**
 * The client addresses each API key has been used from, so the first use from a new one can be
 * audited once across every isolate (`api_key.new_ip`). `first_seen` starts the pair's current
 * run: an address not seen for the recent window counts as new again and restarts it.
 */
export const apiKeyIps = pgTable(
  "api_key_ips",
  {
    keyId: text("key_id")
      .notNull()
      .references(() => apiKeys.id),
    ip: text("ip").notNull(),
    firstSeen: timestamp("first_seen", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    lastSeen: timestamp("last_seen", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.ip] })],
);
