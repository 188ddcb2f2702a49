import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The `jti` of every edge service token the vault accepted, until the token expires (RFC 7519
 * §4.1.7), shared by every vault replica: inserting a jti already here is a replay. Rows past
 * `expires_at` are deleted by a periodic sweep on its index, not by the calls. Cardholder data
 * zone; only `vault-service/` reads or writes it.
 */
export const edgeTokenJtis = pgTable(
  "edge_token_jtis",
  {
    jti: text("jti").primaryKey(),
    /** The token's `exp` plus the clock skew the vault allows: no longer presentable after it. */
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("edge_token_jtis_expires_at").on(t.expiresAt)],
);
