import { and, eq, getTableColumns, gt, isNotNull, isNull, or, sql } from "drizzle-orm";
import { cardTokens, vaultCards } from "../../db/schema/index.js";
import type { VaultDatabase } from "../db/vault-database.js";
import { describeError, log } from "../logging/logger.js";

/** `VAULT_TOKEN_UNUSED_TTL_SECONDS`'s default: a checkout pays within minutes, a day is generous. */
export const DEFAULT_UNUSED_TOKEN_TTL_SECONDS = 86_400;

/**
 * Tokens expire unless used (issue 12, item 4; PCI DSS 3.2.1: cardholder data is kept only as
 * long as a business need requires). A token a payment has used stays: its payment may be
 * captured, refunded or disputed later. One nobody used within the window is refused at
 * authorize with the answer an unknown token gets (a caller cannot tell expired from never
 * issued), and the sweep deletes it and its card for good.
 */
const stillUsable = (ttlSeconds: number) =>
  or(isNotNull(vaultCards.usedAt), gt(vaultCards.createdAt, sql`now() - ${ttlSeconds}::int * interval '1 second'`));

/**
 * The merchant's encrypted card for `token` if it was made in `livemode` and is not expired,
 * marked used by this call (the authorization that reads it is the use). Undefined when there is
 * none, it is the other mode's, or it expired: one answer for all three.
 */
export async function claimVaultCard(
  db: VaultDatabase,
  ref: { token: string; merchantId: string; livemode: boolean },
  ttlSeconds: number,
) {
  const [row] = await db
    .select(getTableColumns(vaultCards))
    .from(vaultCards)
    // The mode is the application zone's row's (`card_tokens`, written with the card).
    .innerJoin(cardTokens, eq(cardTokens.token, vaultCards.token))
    .where(
      and(
        eq(vaultCards.token, ref.token),
        eq(vaultCards.merchantId, ref.merchantId),
        eq(cardTokens.livemode, ref.livemode),
        stillUsable(ttlSeconds),
      ),
    )
    .limit(1);
  if (row && !row.usedAt) {
    await db
      .update(vaultCards)
      .set({ usedAt: sql`now()` })
      .where(and(eq(vaultCards.token, ref.token), isNull(vaultCards.usedAt)));
  }
  return row;
}

/**
 * Deletes up to `batch` expired tokens, the vault's card and the application zone's row in one
 * statement, and says how many went. `skip locked`: a row an authorization is marking used
 * right now is left for the next pass (and then, used, no longer matches).
 */
export async function sweepUnusedTokens(db: VaultDatabase, ttlSeconds: number, batch = 1_000): Promise<number> {
  const result = await db.$client.query(
    `with expired as (
       select token from vault_cards
       where used_at is null and created_at < now() - $1::int * interval '1 second'
       order by created_at limit $2 for update skip locked
     ), cards as (
       delete from vault_cards where token in (select token from expired) returning token
     )
     delete from card_tokens where token in (select token from cards)`,
    [ttlSeconds, batch],
  );
  return result.rowCount ?? 0;
}

/** Sweeps every `everyMs` (10 minutes by default) until stopped; a failed pass is logged and retried. */
export function startTokenSweeper(db: VaultDatabase, ttlSeconds: number, everyMs = 10 * 60_000): () => void {
  let running = false;
  const pass = async () => {
    if (running) return;
    running = true;
    try {
      let swept = 0;
      for (let n = await sweepUnusedTokens(db, ttlSeconds); n > 0; n = await sweepUnusedTokens(db, ttlSeconds)) {
        swept += n;
      }
      if (swept > 0) log("info", "expired unused tokens deleted", { count: swept });
    } catch (error) {
      log("warn", "token expiry sweep failed", describeError(error));
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pass(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
