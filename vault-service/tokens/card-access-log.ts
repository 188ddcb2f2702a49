import { vaultCardAccessLog } from "../../db/schema/index.js";
import type { VaultDatabase } from "../db/vault-database.js";

/** Why a card was decrypted: today only to send an authorization (or sale) to the network. */
export type CardAccessPurpose = "authorize";

/** Who reads a card, for what: everything the access log keeps besides the token and merchant. */
export interface CardAccess {
  paymentId: string;
  operationId: string;
  /** The authenticated caller, `<issuer>:<subject>` of its service token. */
  accessor: string;
  purpose: CardAccessPurpose;
}

/**
 * Appends one row to `vault_card_access_log` (PCI DSS 10.2.1.1; 10.2.2: who, what, when,
 * on which object). Written before the card is decrypted, so there is no access without its
 * row: if the write fails, so does the access.
 */
export async function logCardAccess(
  db: VaultDatabase,
  card: { token: string; merchantId: string },
  access: CardAccess,
): Promise<void> {
  await db.insert(vaultCardAccessLog).values({ token: card.token, merchantId: card.merchantId, ...access });
}
