import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { type ApiKeyType, generateApiKey, hashCredential, lastFour } from "../../common/api-key-secret.js";
import { newId } from "../../common/ids.js";
import type { Owner } from "../../common/owner.js";
import { apiKeys, merchants } from "../../db/schema/index.js";
import { afterCursor } from "../db/cursor.js";
import type { Database } from "../db/database.js";

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export interface NewApiKey {
  merchantId: string;
  type: ApiKeyType;
  livemode: boolean;
  name?: string | null;
  allowedIps?: string[];
}

/** A freshly issued key: the row as stored, plus the one and only copy of the key itself. */
export interface IssuedApiKey {
  row: ApiKeyRow;
  secret: string;
}

type Executor = Pick<Database, "insert" | "select" | "update">;

/** Whose keys a merchant's key may manage: its merchant's, of its own mode (DESIGN invariant 6). */
export type KeyOwner = Owner;

const ownedBy = (owner: KeyOwner) =>
  and(eq(apiKeys.merchantId, owner.merchantId), eq(apiKeys.livemode, owner.livemode));

export async function insertApiKey(db: Executor, pepper: string, input: NewApiKey): Promise<IssuedApiKey> {
  const secret = generateApiKey(input.type, input.livemode);
  const [row] = await db
    .insert(apiKeys)
    .values({
      id: newId("apiKey"),
      merchantId: input.merchantId,
      type: input.type,
      livemode: input.livemode,
      name: input.name ?? null,
      secretHash: await hashCredential(pepper, secret),
      last4: lastFour(secret),
      allowedIps: input.allowedIps ?? [],
    })
    .returning();
  if (!row) throw new Error("insert into api_keys returned no row");
  return { row, secret };
}

/** The key with this hash and its merchant's status, or nothing. */
export async function findKeyByHash(db: Database, secretHash: string) {
  const [found] = await db
    .select({
      key: apiKeys,
      merchantStatus: merchants.status,
      merchantRateLimits: merchants.rateLimits,
      merchantApiVersion: merchants.apiVersion,
    })
    .from(apiKeys)
    .innerJoin(merchants, eq(merchants.id, apiKeys.merchantId))
    .where(eq(apiKeys.secretHash, secretHash))
    .limit(1);
  return found;
}

/** Tenancy and mode are in the WHERE clause: another merchant's key, or another mode's, is simply not found. */
export async function findMerchantKey(db: Executor, owner: KeyOwner, id: string, lock = false) {
  const query = db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), ownedBy(owner)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row;
}

/**
 * Newest first. The cursor is compared in SQL against the cursor row itself: a JS Date has
 * millisecond precision and Postgres microseconds, so a round-tripped timestamp would skip rows.
 */
export async function listMerchantKeys(db: Database, owner: KeyOwner, limit: number, afterId?: string) {
  const cursor = afterCursor(apiKeys, apiKeys, afterId, [
    [apiKeys.merchantId, owner.merchantId],
    [apiKeys.livemode, owner.livemode],
  ]);
  return db
    .select()
    .from(apiKeys)
    .where(and(ownedBy(owner), cursor))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(limit + 1);
}

export async function revokeMerchantKey(db: Database, owner: KeyOwner, id: string) {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(and(eq(apiKeys.id, id), ownedBy(owner)))
    .returning();
  return row;
}

/**
 * Rolls a key: issues a successor with the same type, mode, name and allowlist, and lets the old
 * key live for `overlapSeconds` more (0 = stops now), all in one transaction, so there is never a
 * moment with no working key or two successors.
 */
export async function rollMerchantKey(
  db: Database,
  pepper: string,
  owner: KeyOwner,
  id: string,
  overlapSeconds: number,
): Promise<{ old: ApiKeyRow; issued: IssuedApiKey } | "not_found" | "not_active"> {
  return db.transaction(async (tx) => {
    const old = await findMerchantKey(tx, owner, id, true);
    if (!old) return "not_found";
    if (old.revokedAt || old.rolledToId || (old.expiresAt && old.expiresAt.getTime() <= Date.now()))
      return "not_active";
    const issued = await insertApiKey(tx, pepper, {
      merchantId: owner.merchantId,
      type: old.type as ApiKeyType,
      livemode: old.livemode,
      name: old.name,
      allowedIps: old.allowedIps,
    });
    const [updated] = await tx
      .update(apiKeys)
      .set({
        rolledToId: issued.row.id,
        expiresAt: sql`now() + make_interval(secs => ${overlapSeconds})`,
      })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.rolledToId)))
      .returning();
    if (!updated) throw new Error(`api key ${id} changed during roll`);
    return { old: updated, issued };
  });
}
