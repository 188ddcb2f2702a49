import { and, eq } from "drizzle-orm";
import { cardTokens, vaultCards } from "../../db/schema/index.js";
import type { VaultDatabase } from "../db/vault-database.js";
import type { Envelope } from "../keys/envelope.js";

/** The application zone's facts about a tokenized card: everything but the number. */
export interface CardFacts {
  lastFour: string;
  brand: string;
  expMonth: number;
  expYear: number;
  funding: string;
  country: string | null;
}

export interface NewTokenizedCard {
  token: string;
  merchantId: string;
  fingerprint: string;
  facts: CardFacts;
  sealed: Envelope;
}

/**
 * Writes the vault's encrypted record and the application zone's `card_tokens` row in one
 * transaction: a token the edge can see always has a card behind it, and a card is never stored
 * without its token. `vault_reference` names the vault record, which is keyed by the token.
 */
export async function insertTokenizedCard(db: VaultDatabase, card: NewTokenizedCard): Promise<Date> {
  return db.transaction(async (tx) => {
    await tx.insert(vaultCards).values({
      token: card.token,
      merchantId: card.merchantId,
      ciphertext: card.sealed.ciphertext,
      iv: card.sealed.iv,
      tag: card.sealed.tag,
      wrappedDek: card.sealed.wrappedDek,
      kekVersion: card.sealed.kekVersion,
      fingerprint: card.fingerprint,
    });
    const [row] = await tx
      .insert(cardTokens)
      .values({
        token: card.token,
        merchantId: card.merchantId,
        ...card.facts,
        fingerprint: card.fingerprint,
        vaultReference: card.token,
      })
      .returning({ createdAt: cardTokens.createdAt });
    if (!row) throw new Error("insert into card_tokens returned no row");
    return row.createdAt;
  });
}

/** Tenancy is in the WHERE clause: another merchant's token is simply not found. */
export async function findVaultCard(db: VaultDatabase, token: string, merchantId: string) {
  const [row] = await db
    .select()
    .from(vaultCards)
    .where(and(eq(vaultCards.token, token), eq(vaultCards.merchantId, merchantId)))
    .limit(1);
  return row;
}
