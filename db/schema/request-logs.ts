import { boolean, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { merchants } from "./merchants.js";

/**
 * The merchant's debugging view of their own API traffic (the dashboard's "request logs"): one
 * redacted summary per authenticated request, kept 30 days. Never bodies, query strings or
 * headers. Written by the audit-log queue's consumer, keyed by request id so redelivery is a no-op.
 */
export const requestLogs = pgTable(
  "request_logs",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    apiKeyId: text("api_key_id"),
    /** The calling key's mode: each mode's logs are listed only to keys of that mode. */
    livemode: boolean("livemode").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    status: integer("status").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    errorCode: text("error_code"),
    apiVersion: text("api_version"),
    createdAt: createdAt(),
  },
  (t) => [index("request_logs_merchant_created").on(t.merchantId, t.livemode, t.createdAt, t.id)],
);
