import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { ProjectedNextAction, ProjectedUpi, ProjectedWallet } from "../../common/payment-event-message.js";
import type { CardSummary } from "../../common/vault-internal-api.js";
import { createdAt, currencyCode, isoCurrencyShape, minorUnits, updatedAt } from "./columns.js";
import { currencies } from "./currencies.js";
import { merchants } from "./merchants.js";

/**
 * The seed's payment statuses, plus VOIDED (cancel) and the two refund outcomes; and for UPI
 * (issue 14) REQUIRES_ACTION (the payer must approve in their app) and EXPIRED (the collect or
 * intent lapsed unpaid, NPCI U69).
 */
export const PAYMENT_STATUSES = [
  "created",
  "processing",
  "requires_action",
  "authorized",
  "captured",
  "partially_refunded",
  "refunded",
  "failed",
  "voided",
  "expired",
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * The Postgres projection of a payment. The payment's Durable Object is the source of truth;
 * this row is upserted only when `version` is newer (optimistic locking), so a redelivered or
 * reordered projection never moves a payment backwards.
 */
export const payments = pgTable(
  "payments",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    idempotencyKey: text("idempotency_key"),
    livemode: boolean("livemode").notNull(),
    amount: minorUnits("amount").notNull(),
    currency: currencyCode("currency")
      .notNull()
      .references(() => currencies.code),
    status: text("status").$type<PaymentStatus>().notNull(),
    captureMethod: text("capture_method").notNull(),
    paymentMethodType: text("payment_method_type").notNull(),
    cardToken: text("card_token"),
    processor: text("processor"),
    /** The processor's reference for the authorization (a chargeback names the payment by it). */
    processorReference: text("processor_reference"),
    /** Brand, last four, expiry, funding, country: what the vault says of the token (never the number). */
    card: jsonb("card").$type<CardSummary>(),
    /** A UPI payment's flow, payer and payee VPAs, the switch's txn id and RRN, and its expiry. */
    upi: jsonb("upi").$type<ProjectedUpi>(),
    /** A wallet payment's order, payer, capture or authorization, and the merchant's return pages. */
    wallet: jsonb("wallet").$type<ProjectedWallet>(),
    /** What the payer must do while the payment `requires_action` (a collect to approve, an intent URL). */
    nextAction: jsonb("next_action").$type<ProjectedNextAction>(),
    processorResponse: jsonb("processor_response"),
    declineCode: text("decline_code"),
    /** A manual capture's fate once asked for: pending (being resolved), succeeded or failed. */
    captureStatus: text("capture_status").$type<"pending" | "succeeded" | "failed">(),
    amountCapturable: minorUnits("amount_capturable").notNull().default(0),
    amountCaptured: minorUnits("amount_captured").notNull().default(0),
    amountRefunded: minorUnits("amount_refunded").notNull().default(0),
    customerId: text("customer_id"),
    description: text("description"),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Idempotency keys are scoped per merchant (DESIGN invariant 3), not global.
    uniqueIndex("payments_merchant_idempotency_key").on(t.merchantId, t.livemode, t.idempotencyKey),
    index("payments_merchant_created").on(t.merchantId, t.livemode, t.createdAt, t.id),
    // The list's status filter (issue 17 item 6): a page of one status is a seek, not a walk back
    // through the merchant's history until ten match (all of it when none do).
    index("payments_merchant_status_created").on(t.merchantId, t.livemode, t.status, t.createdAt, t.id),
    index("payments_processor_reference").on(t.processor, t.processorReference),
    check("payments_status", sql.raw(`status in (${PAYMENT_STATUSES.map((s) => `'${s}'`).join(", ")})`)),
    check("payments_currency_shape", isoCurrencyShape("currency")),
    check("payments_amount_positive", sql`${t.amount} > 0 and ${t.amount} <= 999999999999`),
    check("payments_capturable_range", sql`${t.amountCapturable} between 0 and ${t.amount}`),
    // Invariant 1: captured <= authorized, refunded <= captured.
    check("payments_captured_le_amount", sql`${t.amountCaptured} between 0 and ${t.amount}`),
    check("payments_refunded_le_captured", sql`${t.amountRefunded} between 0 and ${t.amountCaptured}`),
    check("payments_capture_method", sql`${t.captureMethod} in ('automatic', 'manual')`),
    check(
      "payments_capture_status",
      sql`${t.captureStatus} is null or ${t.captureStatus} in ('pending', 'succeeded', 'failed')`,
    ),
    check("payments_version_positive", sql`${t.version} > 0`),
  ],
);
