import { sql } from "drizzle-orm";
import { bigserial, boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns.js";
import { events } from "./events.js";
import { merchants } from "./merchants.js";
import { webhookEndpoints } from "./webhook-endpoints.js";

/**
 * One row per (event, endpoint): the delivery the `webhook-delivery` queue works on. Its state is
 * the truth a redelivered queue message is checked against, so a message delivered twice never
 * posts an event that already succeeded. `next_attempt_at` carries waits longer than the queue's
 * own delay limit (12 h): a message that arrives early is put back for the rest.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    /** The event's (and so the endpoint's) mode. */
    livemode: boolean("livemode").notNull(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    lastStatusCode: integer("last_status_code"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_endpoint").on(t.eventId, t.endpointId),
    index("webhook_deliveries_endpoint_created").on(t.endpointId, t.createdAt, t.id),
    check("webhook_deliveries_status", sql`${t.status} in ('pending', 'succeeded', 'failed')`),
    check("webhook_deliveries_attempts", sql`${t.attempts} >= 0`),
  ],
);

/** Every attempt, for the merchant's debugging view: what we sent when, and what came back. */
export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    /** The first 1,000 characters of the response body, at most. */
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("webhook_delivery_attempts_delivery_attempt").on(t.deliveryId, t.attempt)],
);
