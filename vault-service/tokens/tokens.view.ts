import type { TokenizedCard } from "./tokens.service.js";

/** The API's `token` object: what a merchant's page receives. Never the number or the CVC. */
export function tokenView(card: TokenizedCard) {
  return {
    id: card.token,
    object: "token" as const,
    type: "card" as const,
    // The token's own mode (its publishable key's), the one it pays in.
    livemode: card.livemode,
    created: Math.floor(card.created.getTime() / 1000),
    card: {
      last4: card.lastFour,
      brand: card.brand,
      exp_month: card.expMonth,
      exp_year: card.expYear,
      fingerprint: card.fingerprint,
      funding: card.funding,
      country: card.country,
    },
  };
}
