import type { VaultDatabase } from "../db/vault-database.js";
import type { Envelope } from "../keys/envelope.js";

/** The application zone's facts about a tokenized card: everything but the number. */
export interface CardFacts {
  lastFour: string;
  brand: string;
  expMonth: number;
  expYear: number;
  funding: string;
  country: string | null;
}

export interface NewTokenizedCard {
  token: string;
  merchantId: string;
  /** The publishable key's mode: the token pays only in it. */
  livemode: boolean;
  fingerprint: string;
  facts: CardFacts;
  sealed: Envelope;
}

/**
 * Writes the vault's encrypted record and the application zone's `card_tokens` row in one
 * transaction: a token the edge can see always has a card behind it, and a card is never stored
 * without its token. `vault_reference` names the vault record, which is keyed by the token.
 *
 * Concurrent tokenizations are written together (group commit): every card that arrives while
 * the event loop turns shares one transaction. Each caller is still answered only after its own
 * rows are committed, but one commit (one WAL flush, one foreign-key lock on the merchant row)
 * serves many cards; written one by one, the shared merchant row's key-share locks and the
 * per-commit flush cap throughput at a few hundred cards a second.
 */
export function insertTokenizedCard(db: VaultDatabase, card: NewTokenizedCard): Promise<Date> {
  let writer = writers.get(db);
  if (!writer) {
    writer = new GroupWriter(db);
    writers.set(db, writer);
  }
  return writer.add(card);
}

const MAX_BATCH = 200;
/** Transactions in flight at once; cards arriving meanwhile wait and go together in the next. */
const MAX_IN_FLIGHT = 4;
const writers = new WeakMap<VaultDatabase, GroupWriter>();

interface Pending {
  card: NewTokenizedCard;
  resolve: (createdAt: Date) => void;
  reject: (error: unknown) => void;
}

class GroupWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(private readonly db: VaultDatabase) {}

  add(card: NewTokenizedCard): Promise<Date> {
    return new Promise((resolve, reject) => {
      this.queue.push({ card, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0 && this.inFlight < MAX_IN_FLIGHT) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight += 1;
      void this.write(batch).finally(() => {
        this.inFlight -= 1;
        this.flush();
      });
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const created = await writeCards(
        this.db,
        batch.map((pending) => pending.card),
      );
      for (const pending of batch) {
        const at = created.get(pending.card.token);
        if (at) pending.resolve(at);
        else pending.reject(new Error("insert into card_tokens returned no row"));
      }
    } catch (error) {
      // One bad card must not fail the others: write them one by one, each with its own outcome.
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      await Promise.all(batch.map((pending) => this.write([pending])));
    }
  }
}

/**
 * One statement for the whole batch (a data-modifying CTE is atomic on its own): one round trip
 * and one commit instead of BEGIN, two INSERTs and COMMIT. One array parameter per column, and a
 * named statement, so each pooled connection parses and plans it once rather than per batch.
 */
const INSERT_CARDS = {
  name: "vault_insert_tokenized_cards_v2",
  text: `
    with vault as (
      insert into vault_cards (token, merchant_id, ciphertext, iv, tag, wrapped_dek, kek_version, fingerprint)
      select * from unnest($1::text[], $2::text[], $3::bytea[], $4::bytea[], $5::bytea[], $6::bytea[], $7::text[], $8::text[])
    )
    insert into card_tokens
      (token, merchant_id, livemode, last_four, brand, exp_month, exp_year, funding, country, fingerprint, vault_reference)
    select * from unnest($1::text[], $2::text[], $15::boolean[], $9::text[], $10::text[], $11::smallint[],
      $12::smallint[], $13::text[], $14::text[], $8::text[], $1::text[])
    returning token, created_at`,
};

async function writeCards(db: VaultDatabase, cards: NewTokenizedCard[]): Promise<Map<string, Date>> {
  const column = <T>(pick: (card: NewTokenizedCard) => T) => cards.map(pick);
  const result = await db.$client.query<{ token: string; created_at: Date }>({
    ...INSERT_CARDS,
    values: [
      column((c) => c.token),
      column((c) => c.merchantId),
      column((c) => c.sealed.ciphertext),
      column((c) => c.sealed.iv),
      column((c) => c.sealed.tag),
      column((c) => c.sealed.wrappedDek),
      column((c) => c.sealed.kekVersion),
      column((c) => c.fingerprint),
      column((c) => c.facts.lastFour),
      column((c) => c.facts.brand),
      column((c) => c.facts.expMonth),
      column((c) => c.facts.expYear),
      column((c) => c.facts.funding),
      column((c) => c.facts.country),
      column((c) => c.livemode),
    ],
  });
  return new Map(result.rows.map((row) => [row.token, new Date(row.created_at)]));
}
