import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, currencyCode, isoCurrencyShape, minorUnits, updatedAt } from "./columns.js";
import { currencies } from "./currencies.js";
import { merchants } from "./merchants.js";
import { payments } from "./payments.js";

export const DISPUTE_STATUSES = ["needs_response", "under_review", "won", "lost"] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** How the network closes a dispute, for the merchant: `won` (the money comes back) or `lost`. */
export const DISPUTE_OUTCOMES = ["won", "lost"] as const satisfies readonly DisputeStatus[];
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

/**
 * A chargeback the card network raised against a captured payment. `network_reference` is the
 * acquirer's own id for it (with the processor), so a notification delivered twice records one
 * dispute. The merchant answers with text evidence, which moves it to `under_review`; the
 * network's decision closes it, `won` or `lost`, once.
 */
export const disputes = pgTable(
  "disputes",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    paymentId: text("payment_id")
      .notNull()
      .references(() => payments.id),
    /** The disputed payment's mode. */
    livemode: boolean("livemode").notNull(),
    processor: text("processor").notNull(),
    networkReference: text("network_reference").notNull(),
    amount: minorUnits("amount").notNull(),
    currency: currencyCode("currency")
      .notNull()
      .references(() => currencies.code),
    reason: text("reason").notNull(),
    status: text("status").$type<DisputeStatus>().notNull().default("needs_response"),
    evidence: text("evidence"),
    evidenceSubmittedAt: timestamp("evidence_submitted_at", { withTimezone: true, mode: "date" }),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("disputes_network_reference").on(t.processor, t.networkReference),
    index("disputes_merchant_created").on(t.merchantId, t.livemode, t.createdAt, t.id),
    index("disputes_payment").on(t.paymentId),
    check("disputes_amount_positive", sql`${t.amount} > 0`),
    check("disputes_currency_shape", isoCurrencyShape("currency")),
    check("disputes_status", sql.raw(`status in (${DISPUTE_STATUSES.map((s) => `'${s}'`).join(", ")})`)),
  ],
);
