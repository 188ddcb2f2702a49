import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { AttemptRouting } from "../../common/payment-event-message.js";
import { merchants } from "./merchants.js";
import { payments } from "./payments.js";

export const ATTEMPT_STATUSES = ["pending", "succeeded", "declined", "failed"] as const;

/**
 * The projection of a payment's authorization attempts (issue 13), one row per try at one
 * processor, keyed by the operation id the vault journals it under. Written with the payment, by
 * the payment's `version`, so a late message never moves an attempt backwards. Reconciliation
 * tells attempts apart by (processor, processor_reference).
 */
export const paymentAttempts = pgTable(
  "payment_attempts",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id")
      .notNull()
      .references(() => payments.id),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    livemode: boolean("livemode").notNull(),
    /** Its place among the payment's attempts: 1, 2, ... */
    sequence: integer("sequence").notNull(),
    status: text("status").$type<(typeof ATTEMPT_STATUSES)[number]>().notNull(),
    processor: text("processor"),
    processorReference: text("processor_reference"),
    declineCode: text("decline_code"),
    networkCode: text("network_code"),
    authCode: text("auth_code"),
    latencyMs: integer("latency_ms"),
    routing: jsonb("routing").$type<AttemptRouting>(),
    /** The payment's version this row was written from. */
    paymentVersion: integer("payment_version").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("payment_attempts_payment").on(t.paymentId, t.sequence),
    index("payment_attempts_processor_reference").on(t.processor, t.processorReference),
    check("payment_attempts_status", sql.raw(`status in (${ATTEMPT_STATUSES.map((s) => `'${s}'`).join(", ")})`)),
    check("payment_attempts_latency", sql`${t.latencyMs} is null or ${t.latencyMs} >= 0`),
  ],
);
