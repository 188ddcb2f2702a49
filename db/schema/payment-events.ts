import { sql } from "drizzle-orm";
import { bigserial, check, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { payments } from "./payments.js";

/**
 * The seed's immutable audit log of payment transitions: one row per transition, in order.
 * A trigger (migration 0001) refuses UPDATE, DELETE and TRUNCATE, so immutability does not
 * depend on application code. `sequence` makes a redelivered projection a no-op.
 */
export const paymentEvents = pgTable(
  "payment_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    paymentId: text("payment_id")
      .notNull()
      .references(() => payments.id),
    sequence: integer("sequence").notNull(),
    eventType: text("event_type").notNull(),
    oldStatus: text("old_status"),
    newStatus: text("new_status").notNull(),
    metadata: jsonb("metadata").notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("payment_events_payment_sequence").on(t.paymentId, t.sequence),
    check("payment_events_sequence_positive", sql`${t.sequence} > 0`),
  ],
);
