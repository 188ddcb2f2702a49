import { bigserial, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Every decryption of a card in the vault, one row each (PCI DSS 10.2.1.1: all individual
 * accesses to cardholder data are logged): which token, for which merchant and payment, by
 * whom (the service token's issuer and subject), why, when. Never a PAN or CVC. Append-only: a
 * trigger (migration 0013) refuses UPDATE, DELETE and TRUNCATE. No foreign keys on purpose: the
 * trail outlives the token and card it names (PCI DSS 10.5.1: kept at least a year).
 */
export const vaultCardAccessLog = pgTable(
  "vault_card_access_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    token: text("token").notNull(),
    merchantId: text("merchant_id").notNull(),
    paymentId: text("payment_id").notNull(),
    operationId: text("operation_id").notNull(),
    /** The authenticated caller: `<issuer>:<subject>` of the edge's service token. */
    accessor: text("accessor").notNull(),
    purpose: text("purpose").notNull(),
    accessedAt: timestamp("accessed_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("vault_card_access_log_token").on(t.token, t.accessedAt)],
);
