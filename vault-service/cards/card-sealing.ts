import { type Envelope, open, seal } from "../keys/envelope.js";
import type { KeyProvider } from "../keys/key-provider.js";

/** What the vault keeps of a card. Never the CVC (PCI DSS 3.3.1): that lives only in `CvcStore`. */
export interface CardRecord {
  number: string;
  expMonth: number;
  expYear: number;
  name: string | null;
}

/** What a sealed record is bound to: moved under another token or merchant, it no longer opens. */
export interface CardBinding {
  token: string;
  merchantId: string;
}

interface StoredRecord {
  v: 1;
  number: string;
  exp_month: number;
  exp_year: number;
  name: string | null;
}

/** GCM associated data: versioned and unambiguous (JSON), so no two bindings encode alike. */
function associatedData(binding: CardBinding): Buffer {
  return Buffer.from(JSON.stringify(["vault_cards/v1", binding.token, binding.merchantId]));
}

export async function sealCard(keys: KeyProvider, card: CardRecord, binding: CardBinding): Promise<Envelope> {
  const record: StoredRecord = {
    v: 1,
    number: card.number,
    exp_month: card.expMonth,
    exp_year: card.expYear,
    name: card.name,
  };
  const plaintext = Buffer.from(JSON.stringify(record));
  try {
    return await seal(keys, plaintext, associatedData(binding));
  } finally {
    plaintext.fill(0);
  }
}

/**
 * Decrypts a card record for the one purpose allowed: handing the PAN to a connector. The
 * plaintext buffer is wiped at once; the strings it became cannot be (JavaScript strings are
 * immutable), so callers keep the record only as long as the authorization needs it.
 */
export async function openCard(keys: KeyProvider, envelope: Envelope, binding: CardBinding): Promise<CardRecord> {
  const plaintext = await open(keys, envelope, associatedData(binding));
  try {
    const record = JSON.parse(plaintext.toString("utf8")) as StoredRecord;
    return { number: record.number, expMonth: record.exp_month, expYear: record.exp_year, name: record.name };
  } finally {
    plaintext.fill(0);
  }
}
