import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { ApiVersion } from "../../workers/versions/api-versions.js";
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
    /** The creating key's mode: an endpoint receives only that mode's events. */
    livemode: boolean("livemode").notNull(),
    url: text("url").notNull(),
    description: text("description"),
    enabledEvents: text("enabled_events").array().notNull(),
    status: text("status").notNull().default("enabled"),
    disabledReason: text("disabled_reason"),
    secretCiphertext: text("secret_ciphertext").notNull(),
    previousSecretCiphertext: text("previous_secret_ciphertext"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true, mode: "date" }),
    /**
     * The API version deliveries are rendered in, fixed when the endpoint is made (Stripe's
     * model), so a merchant's webhook handler never sees a shape change it did not ask for.
     * Endpoints from before versioning are on the launch version.
     */
    apiVersion: text("api_version").$type<ApiVersion>().notNull().default("2026-11-01"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("webhook_endpoints_merchant").on(t.merchantId, t.livemode),
    check("webhook_endpoints_status", sql`${t.status} in ('enabled', 'disabled')`),
    check("webhook_endpoints_url_https", sql`${t.url} ~ '^https?://'`),
  ],
);
