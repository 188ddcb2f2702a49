import { and, eq, sql } from "drizzle-orm";
import { vaultCards } from "../../db/schema/index.js";
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
 * and one commit instead of BEGIN, two INSERTs and COMMIT.
 */
async function writeCards(db: VaultDatabase, cards: NewTokenizedCard[]): Promise<Map<string, Date>> {
  // One array parameter per column (drizzle would otherwise spread a JS array into a list).
  const column = <T>(pick: (card: NewTokenizedCard) => T) => sql.param(cards.map(pick));
  const result = await db.execute<{ token: string; created_at: Date | string }>(sql`
    with vault as (
      insert into vault_cards (token, merchant_id, ciphertext, iv, tag, wrapped_dek, kek_version, fingerprint)
      select * from unnest(
        ${column((c) => c.token)}::text[], ${column((c) => c.merchantId)}::text[],
        ${column((c) => Buffer.from(c.sealed.ciphertext))}::bytea[], ${column((c) => Buffer.from(c.sealed.iv))}::bytea[],
        ${column((c) => Buffer.from(c.sealed.tag))}::bytea[], ${column((c) => Buffer.from(c.sealed.wrappedDek))}::bytea[],
        ${column((c) => c.sealed.kekVersion)}::text[], ${column((c) => c.fingerprint)}::text[])
    )
    insert into card_tokens
      (token, merchant_id, last_four, brand, exp_month, exp_year, funding, country, fingerprint, vault_reference)
    select * from unnest(
      ${column((c) => c.token)}::text[], ${column((c) => c.merchantId)}::text[],
      ${column((c) => c.facts.lastFour)}::text[], ${column((c) => c.facts.brand)}::text[],
      ${column((c) => c.facts.expMonth)}::smallint[], ${column((c) => c.facts.expYear)}::smallint[],
      ${column((c) => c.facts.funding)}::text[], ${column((c) => c.facts.country)}::text[],
      ${column((c) => c.fingerprint)}::text[], ${column((c) => c.token)}::text[])
    returning token, created_at`);
  return new Map(result.rows.map((row) => [row.token, new Date(row.created_at)]));
}

/** Tenancy is in the WHERE clause: another merchant's token is simply not found. */
export async function findVaultCard(db: VaultDatabase, token: string, merchantId: string) {
  const [row] = await db
    .select()
    .from(vaultCards)
    .where(and(eq(vaultCards.token, token), eq(vaultCards.merchantId, merchantId)))
    .limit(1);
  return row;
}
