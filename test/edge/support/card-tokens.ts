import { sql } from "./database.js";

let counter = 0;

/**
 * A card token as the vault writes it to `card_tokens` on tokenization (brand and issuing country
 * from the BIN, never the card), for the router to read: this tier runs no vault.
 */
export async function cardToken(
  merchantId: string,
  card: { brand?: string; country?: string | null; livemode?: boolean } = {},
): Promise<string> {
  counter += 1;
  const token = `tok_Routing${Date.now().toString(36)}${counter.toString().padStart(6, "0")}`;
  await sql(
    `INSERT INTO card_tokens (token, merchant_id, livemode, last_four, brand, exp_month, exp_year, funding, country, fingerprint, vault_reference)
     VALUES ($1, $2, $3, '4242', $4, 12, 2030, 'credit', $5, $6, $7)`,
    [
      token,
      merchantId,
      card.livemode ?? false,
      card.brand ?? "visa",
      card.country === undefined ? "US" : card.country,
      `fp_${token}`,
      `vref_${token}`,
    ],
  );
  return token;
}
