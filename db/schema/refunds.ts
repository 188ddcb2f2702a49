import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, currencyCode, isoCurrencyShape, minorUnits, updatedAt } from "./columns.js";
import { currencies } from "./currencies.js";
import { merchants } from "./merchants.js";
import { payments } from "./payments.js";

export const REFUND_STATUSES = ["pending", "succeeded", "failed"] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** The seed's `refunds` table (projection, like `payments`, versioned). */
export const refunds = pgTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id")
      .notNull()
      .references(() => payments.id),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    /** The payment's mode. */
    livemode: boolean("livemode").notNull(),
    idempotencyKey: text("idempotency_key"),
    amount: minorUnits("amount").notNull(),
    currency: currencyCode("currency")
      .notNull()
      .references(() => currencies.code),
    status: text("status").$type<RefundStatus>().notNull(),
    reason: text("reason"),
    failureCode: text("failure_code"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // A refund's Idempotency-Key is scoped to its payment, exactly as the payment's object scopes
    // it (one object per payment cannot see another payment's keys): the same key on two payments
    // is two refunds, and the projection must accept both (issue 11).
    uniqueIndex("refunds_payment_idempotency_key").on(t.paymentId, t.idempotencyKey),
    index("refunds_payment").on(t.paymentId),
    check("refunds_amount_positive", sql`${t.amount} > 0 and ${t.amount} <= 999999999999`),
    check("refunds_currency_shape", isoCurrencyShape("currency")),
    check("refunds_status", sql.raw(`status in (${REFUND_STATUSES.map((s) => `'${s}'`).join(", ")})`)),
    check(
      "refunds_reason",
      sql`${t.reason} is null or ${t.reason} in ('duplicate', 'fraudulent', 'requested_by_customer')`,
    ),
  ],
);
