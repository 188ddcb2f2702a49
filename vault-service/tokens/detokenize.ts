import { type CardRecord, openCard } from "../cards/card-sealing.js";
import type { VaultDatabase } from "../db/vault-database.js";
import type { KeyProvider } from "../keys/key-provider.js";
import { findVaultCard } from "./tokens.repository.js";

/**
 * The one way back from a token to a card number, for the connector that sends it to the card
 * network (PCI DSS 3.4.1: the PAN is decrypted only where a business need requires it). Scoped
 * to the merchant twice: by the query, and by the record's GCM binding to token and merchant.
 * Undefined when the merchant has no such token. The caller drops the record when the
 * authorization has been sent and never logs or returns it.
 */
export async function detokenize(
  deps: { db: VaultDatabase; keys: KeyProvider },
  ref: { token: string; merchantId: string },
): Promise<CardRecord | undefined> {
  const row = await findVaultCard(deps.db, ref.token, ref.merchantId);
  if (!row) return undefined;
  return openCard(deps.keys, row, { token: row.token, merchantId: row.merchantId });
}
