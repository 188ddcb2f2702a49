import { sql } from "drizzle-orm";
import { check, customType, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { merchants } from "./merchants.js";

/** Raw bytes: `pg` hands bytea back as a Buffer, so ciphertext never goes through a text encoding. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "bytea",
});

/**
 * The vault's encrypted card records (cardholder data zone; only `vault-service/` reads or writes
 * them). Envelope encryption, PCI DSS 3.5.1 / 3.6: the card record is AES-256-GCM ciphertext under
 * its own data key, and the data key is stored only wrapped by a versioned key-encryption key
 * (`kek_version`) that lives in the key provider, never here. Nothing in this table is usable
 * without the provider. A KEK rotation rewraps `wrapped_dek` and sets `rotated_at`; the ciphertext
 * itself never changes. The application zone's view of the same card is `card_tokens`.
 */
export const vaultCards = pgTable(
  "vault_cards",
  {
    token: text("token").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    ciphertext: bytea("ciphertext").notNull(),
    /** 96-bit GCM nonce, random per record (NIST SP 800-38D §8.2.2). */
    iv: bytea("iv").notNull(),
    tag: bytea("tag").notNull(),
    wrappedDek: bytea("wrapped_dek").notNull(),
    kekVersion: text("kek_version").notNull(),
    /** Keyed HMAC of the PAN (PCI DSS 3.5.1.1), the same value `card_tokens` carries. */
    fingerprint: text("fingerprint").notNull(),
    createdAt: createdAt(),
    rotatedAt: timestamp("rotated_at", { withTimezone: true, mode: "date" }),
    /**
     * When a payment first used the token (its authorization was prepared). A token still unused
     * `VAULT_TOKEN_UNUSED_TTL_SECONDS` after `created_at` is expired: refused as unknown, then
     * swept (PCI DSS 3.2.1: cardholder data kept no longer than needed; issue 12, item 4).
     */
    usedAt: timestamp("used_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    // Rotation walks the rows still wrapped by an older KEK.
    index("vault_cards_kek_version").on(t.kekVersion, t.token),
    // The expiry sweep walks the never-used cards, oldest first; used ones are not in the index.
    index("vault_cards_unused_created").on(t.createdAt).where(sql`${t.usedAt} is null`),
    check("vault_cards_token_shape", sql`${t.token} like 'tok\\_%'`),
    check("vault_cards_iv_length", sql`octet_length(${t.iv}) = 12`),
    check("vault_cards_tag_length", sql`octet_length(${t.tag}) = 16`),
    check("vault_cards_kek_version_shape", sql`${t.kekVersion} ~ '^v[1-9][0-9]*$'`),
  ],
);
