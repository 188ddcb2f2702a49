import { and, eq } from "drizzle-orm";
import { CARD_BRANDS, type CardBrand } from "../../common/card-brands.js";
import type { Owner } from "../../common/owner.js";
import { cardTokens, merchants } from "../../db/schema/index.js";
import type { Database } from "../db/database.js";

/** What the router needs from Postgres for one payment: the merchant's country and the card's BIN facts. */
export interface RoutingFacts {
  merchantCountry: string;
  /** The merchant's name: a UPI payer's app shows it (the `pn` of a `upi://pay` URL). */
  merchantName: string;
  /** Null when the token is not this merchant's in this mode (the vault refuses it anyway). */
  card: { brand: CardBrand | null; issuerCountry: string | null } | null;
}

const brandOf = (brand: string): CardBrand | null => CARD_BRANDS.find((known) => known === brand) ?? null;

/**
 * One query: the merchant, and the card token's brand and issuing country, scoped by merchant and
 * mode (DESIGN invariant 6: another merchant's or mode's token tells the router nothing). Never
 * the card itself: `card_tokens` holds only what the vault derived from the BIN.
 */
export async function findRoutingFacts(db: Database, owner: Owner, token: string | null): Promise<RoutingFacts | null> {
  const [row] = await db
    .select({
      merchantCountry: merchants.country,
      merchantName: merchants.name,
      brand: cardTokens.brand,
      issuerCountry: cardTokens.country,
    })
    .from(merchants)
    .leftJoin(
      cardTokens,
      and(
        eq(cardTokens.token, token ?? ""),
        eq(cardTokens.merchantId, merchants.id),
        eq(cardTokens.livemode, owner.livemode),
      ),
    )
    .where(eq(merchants.id, owner.merchantId))
    .limit(1);
  if (!row) return null;
  return {
    merchantCountry: row.merchantCountry,
    merchantName: row.merchantName,
    card: row.brand === null ? null : { brand: brandOf(row.brand), issuerCountry: row.issuerCountry },
  };
}
