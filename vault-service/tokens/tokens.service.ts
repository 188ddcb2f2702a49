import { newId } from "../../common/ids.js";
import type { BinInfo } from "../cards/bin-table.js";
import { cardFingerprint } from "../cards/card-fingerprint.js";
import { sealCard } from "../cards/card-sealing.js";
import type { CvcStore } from "../cards/cvc-store.js";
import type { VaultDatabase } from "../db/vault-database.js";
import type { KeyProvider } from "../keys/key-provider.js";
import type { TokenizationLimits } from "../middleware/tokenization-rate-limit/index.js";
import { type CardFacts, insertTokenizedCard } from "./tokens.repository.js";

export interface TokenizationDeps {
  db: VaultDatabase;
  keys: KeyProvider;
  cvcs: CvcStore;
  /** `VAULT_FINGERPRINT_SECRET`, decoded. */
  fingerprintSecret: Uint8Array;
  /** `API_KEY_PEPPER`: publishable keys are found by their HMAC under it. */
  apiKeyPepper: string;
  /**
   * Rate limits per client address and per publishable key. `main.ts` always sets them from the
   * configuration; only in-process harnesses (tests, the throughput benchmark) leave them out.
   */
  limits?: TokenizationLimits;
}

/** A card that passed `checkCard`. */
export interface ValidCard {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  name: string | null;
  bin: BinInfo;
}

/** Whose token it is: the merchant, and the mode of the publishable key that made it. */
export interface TokenOwner {
  merchantId: string;
  livemode: boolean;
}

export interface TokenizedCard extends CardFacts {
  token: string;
  livemode: boolean;
  fingerprint: string;
  created: Date;
}

/**
 * Tokenizes a validated card for a merchant, in its key's mode: a new `tok_` id, the card sealed
 * under its own data key and bound to that token and merchant, both rows written together, and
 * the CVC handed to the in-memory store (only after the rows exist, so a failed write leaves
 * nothing behind). The token pays only in the mode it was made in (DESIGN invariant 6).
 */
export async function tokenizeCard(
  deps: TokenizationDeps,
  { merchantId, livemode }: TokenOwner,
  card: ValidCard,
): Promise<TokenizedCard> {
  const token = newId("cardToken");
  const fingerprint = cardFingerprint(deps.fingerprintSecret, merchantId, card.number);
  const sealed = await sealCard(
    deps.keys,
    { number: card.number, expMonth: card.expMonth, expYear: card.expYear, name: card.name },
    { token, merchantId },
  );
  const facts: CardFacts = {
    lastFour: card.number.slice(-4),
    brand: card.bin.brand,
    expMonth: card.expMonth,
    expYear: card.expYear,
    funding: card.bin.funding,
    country: card.bin.country,
  };
  const created = await insertTokenizedCard(deps.db, { token, merchantId, livemode, fingerprint, facts, sealed });
  deps.cvcs.put(token, merchantId, Buffer.from(card.cvc, "utf8"));
  return { token, livemode, fingerprint, created, ...facts };
}
