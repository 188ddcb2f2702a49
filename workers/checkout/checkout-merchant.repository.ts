import { and, eq } from "drizzle-orm";
import type { Owner } from "../../common/owner.js";
import { apiKeys, merchants } from "../../db/schema/index.js";
import type { Database } from "../db/database.js";

/** The merchant's name, shown on its hosted pages. */
export async function merchantName(db: Database, merchantId: string): Promise<string | null> {
  const [row] = await db.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, merchantId)).limit(1);
  return row?.name ?? null;
}

/** Whether the key is still the owner's, unrevoked and unexpired (the merchant may revoke it in its key list). */
export async function keyUsable(db: Database, owner: Owner, keyId: string): Promise<boolean> {
  const [row] = await db
    .select({ revokedAt: apiKeys.revokedAt, expiresAt: apiKeys.expiresAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.merchantId, owner.merchantId), eq(apiKeys.livemode, owner.livemode)))
    .limit(1);
  if (!row || row.revokedAt) return false;
  return !row.expiresAt || row.expiresAt.getTime() > Date.now();
}
