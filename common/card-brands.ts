/**
 * The card networks the gateway knows, by the names Stripe uses. Shared by both zones: the vault
 * tells a card's brand from its BIN, the edge routes by it; neither needs the card to name it.
 */
export const CARD_BRANDS = ["visa", "mastercard", "amex", "discover", "jcb", "diners", "unionpay", "rupay"] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];
