import { sql } from "drizzle-orm";
import { boolean, check, date, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, currencyCode, isoCurrencyShape, minorUnits } from "./columns.js";
import { currencies } from "./currencies.js";
import { merchants } from "./merchants.js";

/** Stripe's balance transaction types, as far as this gateway moves money (issue 16 item 1). */
export const BALANCE_TYPES = ["charge", "refund", "dispute", "dispute_reversal", "adjustment"] as const;
export type BalanceType = (typeof BALANCE_TYPES)[number];

export const BALANCE_STATUSES = ["pending", "paid"] as const;
export type BalanceStatus = (typeof BALANCE_STATUSES)[number];

/**
 * Every money movement on a merchant's balance (issue 16 item 1, Stripe's balance transactions):
 * immutable but for its settlement (`status` pending -> paid, `settlement_id`), which a trigger
 * enforces. One per (type, source): the projection writes each exactly once, however often its
 * message comes. For every merchant, mode and currency, the sum of `net` is captured - refunded -
 * disputed - fees, to the minor unit (tests pin it).
 */
export const balanceTransactions = pgTable(
  "balance_transactions",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    livemode: boolean("livemode").notNull(),
    type: text("type").$type<BalanceType>().notNull(),
    amount: minorUnits("amount").notNull(),
    fee: minorUnits("fee").notNull(),
    net: minorUnits("net").notNull(),
    currency: currencyCode("currency")
      .notNull()
      .references(() => currencies.code),
    processor: text("processor"),
    /** The object that moved the money: the payment (its capture), the refund, the dispute. */
    sourceId: text("source_id").notNull(),
    paymentId: text("payment_id"),
    /** The UTC day it becomes payable: the movement's day plus the merchant's `delay_days`. */
    availableOn: date("available_on", { mode: "string" }).notNull(),
    status: text("status").$type<BalanceStatus>().notNull().default("pending"),
    /** The settlement batch that paid it out (null while pending). */
    settlementId: text("settlement_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("balance_transactions_source").on(t.type, t.sourceId),
    index("balance_transactions_merchant_created").on(t.merchantId, t.livemode, t.createdAt, t.id),
    // The cut's query: a merchant's pending movements in one currency, oldest first, page by page.
    index("balance_transactions_pending")
      .on(t.merchantId, t.livemode, t.currency, t.createdAt, t.id)
      .where(sql`${t.status} = 'pending'`),
    index("balance_transactions_settlement").on(t.settlementId),
    check("balance_transactions_net", sql`${t.net} = ${t.amount} - ${t.fee}`),
    check("balance_transactions_fee", sql`${t.fee} >= 0`),
    check("balance_transactions_currency_shape", isoCurrencyShape("currency")),
    check("balance_transactions_type", sql.raw(`type in (${BALANCE_TYPES.map((s) => `'${s}'`).join(", ")})`)),
    check("balance_transactions_status", sql.raw(`status in (${BALANCE_STATUSES.map((s) => `'${s}'`).join(", ")})`)),
    check("balance_transactions_paid", sql`(${t.status} = 'paid') = (${t.settlementId} is not null)`),
  ],
);
