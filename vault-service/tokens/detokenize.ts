import { type CardRecord, openCard } from "../cards/card-sealing.js";
import type { VaultDatabase } from "../db/vault-database.js";
import type { KeyProvider } from "../keys/key-provider.js";
import { type CardAccess, logCardAccess } from "./card-access-log.js";
import { claimVaultCard, DEFAULT_UNUSED_TOKEN_TTL_SECONDS } from "./token-expiry.js";

/**
 * The one way back from a token to a card number, for the connector that sends it to the card
 * network (PCI DSS 3.4.1: the PAN is decrypted only where a business need requires it). Scoped
 * to the merchant twice: by the query, and by the record's GCM binding to token and merchant; and
 * to the payment's mode (a token pays only in the mode it was made in, DESIGN invariant 6).
 * Undefined when the merchant has no such token in that mode, or it expired unused (`token-expiry.ts`); a
 * token read here counts as used from then on. Every decryption is first written to the card
 * access log, with who asked and why (`card-access-log.ts`). The caller drops the record when
 * the authorization has been sent and never logs or returns it.
 */
export async function detokenize(
  deps: { db: VaultDatabase; keys: KeyProvider; unusedTokenTtlSeconds?: number | undefined },
  ref: { token: string; merchantId: string; livemode: boolean },
  access: CardAccess,
): Promise<CardRecord | undefined> {
  const ttl = deps.unusedTokenTtlSeconds ?? DEFAULT_UNUSED_TOKEN_TTL_SECONDS;
  const row = await claimVaultCard(deps.db, ref, ttl);
  if (!row) return undefined;
  await logCardAccess(deps.db, row, access);
  return openCard(deps.keys, row, { token: row.token, merchantId: row.merchantId });
}
