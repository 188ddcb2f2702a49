import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, currencyCode, isoCurrencyShape, minorUnits } from "./columns.js";
import { currencies } from "./currencies.js";
import { merchants } from "./merchants.js";

/**
 * A settlement batch (issue 16 item 2, Stripe's payout): one per merchant, mode, currency and day,
 * the balance transactions payable by that day that were still pending when it was cut. Its files
 * are in R2 (`file_key` CSV, `json_key` JSON) and their SHA-256 here, so a file changed after the
 * fact is caught. The unique index makes cutting twice harmless.
 */
export const settlements = pgTable(
  "settlements",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    livemode: boolean("livemode").notNull(),
    currency: currencyCode("currency")
      .notNull()
      .references(() => currencies.code),
    /** The day cut (UTC): every movement payable by it and pending then is in the batch. */
    day: date("day", { mode: "string" }).notNull(),
    /** When the net reaches the merchant: the day plus the merchant's `delay_days`. */
    payoutOn: date("payout_on", { mode: "string" }).notNull(),
    status: text("status").$type<"paid">().notNull().default("paid"),
    transactionCount: integer("transaction_count").notNull(),
    /** Sums of the batch's movements, in minor units: gross amounts, fees, and net = amount - fee. */
    amount: minorUnits("amount").notNull(),
    fee: minorUnits("fee").notNull(),
    net: minorUnits("net").notNull(),
    fileKey: text("file_key").notNull(),
    fileSha256: text("file_sha256").notNull(),
    jsonKey: text("json_key").notNull(),
    jsonSha256: text("json_sha256").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("settlements_merchant_day").on(t.merchantId, t.livemode, t.currency, t.day),
    index("settlements_merchant_created").on(t.merchantId, t.livemode, t.createdAt, t.id),
    check("settlements_net", sql`${t.net} = ${t.amount} - ${t.fee}`),
    check("settlements_currency_shape", isoCurrencyShape("currency")),
    check("settlements_status", sql`${t.status} in ('paid')`),
    check("settlements_sha256", sql`${t.fileSha256} ~ '^[0-9a-f]{64}$' and ${t.jsonSha256} ~ '^[0-9a-f]{64}$'`),
  ],
);
