import type { Owner } from "../../common/owner.js";
import type { RoutingFacts } from "./routing-facts.repository.js";

/** How long this isolate trusts a merchant's country and name (as long as its routing rules). */
export const MERCHANT_FACTS_MS = 30_000;
/** Past this many merchants, the oldest entry goes: an isolate's memory is small. */
const MAX_MERCHANTS = 5_000;
/** Past this many card tokens, the least recently used goes (about 150 bytes each). */
const MAX_CARDS = 10_000;

type MerchantFacts = Pick<RoutingFacts, "merchantCountry" | "merchantName">;
type CardFacts = NonNullable<RoutingFacts["card"]>;

const merchants = new Map<string, { expires: number; facts: MerchantFacts }>();
const cards = new Map<string, CardFacts>();

// Scoped by merchant and mode (DESIGN invariant 6): another's token is never this one's hit.
const cardKey = (owner: Owner, token: string) => `${owner.merchantId}:${owner.livemode ? "live" : "test"}:${token}`;

/**
 * The router's facts from this isolate's memory when it has them all, read from Postgres
 * (`load`, one query) when it does not. A card token's brand and issuing country never change:
 * the vault derived them from the BIN when it stored the card, and `card_tokens` rows are never
 * updated, so a token's facts are kept for good (least recently used out first). A merchant's
 * country never changes and its name rarely does: kept 30 s, forgotten at once by the isolate
 * that changes it (`forgetMerchantFacts`). So a payment on a card this isolate has routed before
 * (a customer's saved card, a subscription's renewal) opens no Postgres connection; a new token
 * pays the one query. Only what Postgres found is kept: an unknown token is asked again (a
 * token just made is never missed for long, and a hostile one fills nothing).
 */
export async function cachedRoutingFacts(
  owner: Owner,
  token: string | null,
  load: () => Promise<RoutingFacts | null>,
  now = Date.now(),
): Promise<RoutingFacts | null> {
  const merchant = merchants.get(owner.merchantId);
  const key = token === null ? null : cardKey(owner, token);
  const card = key === null ? undefined : cards.get(key);
  if (merchant && merchant.expires > now && (key === null || card)) {
    if (key !== null && card) {
      cards.delete(key); // most recently used goes last
      cards.set(key, card);
    }
    return { ...merchant.facts, card: card ?? null };
  }
  const facts = await load();
  if (!facts) return null;
  merchants.delete(owner.merchantId);
  if (merchants.size >= MAX_MERCHANTS) merchants.delete(merchants.keys().next().value ?? "");
  merchants.set(owner.merchantId, {
    expires: now + MERCHANT_FACTS_MS,
    facts: { merchantCountry: facts.merchantCountry, merchantName: facts.merchantName },
  });
  if (key !== null && facts.card) {
    if (cards.size >= MAX_CARDS) cards.delete(cards.keys().next().value ?? "");
    cards.set(key, facts.card);
  }
  return facts;
}

/** Drops this isolate's copy of a merchant's facts (after a change to its profile through it). */
export function forgetMerchantFacts(merchantId: string): void {
  merchants.delete(merchantId);
}
