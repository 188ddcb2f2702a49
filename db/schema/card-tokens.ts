import { sql } from "drizzle-orm";
import { boolean, char, check, index, pgTable, smallint, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { merchants } from "./merchants.js";

/**
 * The application zone's view of a tokenized card: never the card number. The vault writes it
 * (issue 3); the edge reads it to show last4/brand and to route. `vault_reference` names the
 * vault's encrypted record; only the vault can turn it back into a PAN.
 * The seed's single `expiry` is stored as `exp_month` + `exp_year` so it can be range-checked.
 */
export const cardTokens = pgTable(
  "card_tokens",
  {
    token: text("token").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    /** The publishable key's mode: a token pays only in the mode it was made in. */
    livemode: boolean("livemode").notNull(),
    customerId: text("customer_id"),
    lastFour: char("last_four", { length: 4 }).notNull(),
    brand: text("brand").notNull(),
    expMonth: smallint("exp_month").notNull(),
    expYear: smallint("exp_year").notNull(),
    funding: text("funding"),
    country: char("country", { length: 2 }),
    fingerprint: text("fingerprint").notNull(),
    vaultReference: text("vault_reference").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("card_tokens_merchant_fingerprint").on(t.merchantId, t.fingerprint),
    check("card_tokens_last_four", sql`${t.lastFour} ~ '^[0-9]{4}$'`),
    check("card_tokens_exp_month", sql`${t.expMonth} between 1 and 12`),
    check("card_tokens_exp_year", sql`${t.expYear} between 2000 and 2100`),
    check("card_tokens_token_shape", sql`${t.token} like 'tok\\_%'`),
  ],
);
