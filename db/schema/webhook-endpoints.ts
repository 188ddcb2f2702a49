import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns.js";
import { merchants } from "./merchants.js";

/**
 * Several endpoints per merchant (the seed's "multiple endpoints"). The signing secret must be
 * usable to sign, so it cannot be a hash: it is stored encrypted (`secret_ciphertext`, AES-GCM
 * under the Worker secret WEBHOOK_SECRETS_KEY, bound to the endpoint id), never in clear.
 * `previous_secret_*` keeps the old secret signing during a rotation overlap. `disabled_reason`
 * says why an endpoint stopped (`merchant`, or `gone` when it answered 410).
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    url: text("url").notNull(),
    description: text("description"),
    enabledEvents: text("enabled_events").array().notNull(),
    status: text("status").notNull().default("enabled"),
    disabledReason: text("disabled_reason"),
    secretCiphertext: text("secret_ciphertext").notNull(),
    previousSecretCiphertext: text("previous_secret_ciphertext"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("webhook_endpoints_merchant").on(t.merchantId),
    check("webhook_endpoints_status", sql`${t.status} in ('enabled', 'disabled')`),
    check("webhook_endpoints_url_https", sql`${t.url} ~ '^https?://'`),
  ],
);
