import { eq, sql } from "drizzle-orm";
import { apiKeys, merchants } from "../../db/schema/index.js";
import type { VaultDatabase } from "../db/vault-database.js";
import { hashCredentialSync } from "./credential-hash.js";

/** The API key with this hash and what the vault needs of its merchant, or nothing. */
export async function findKeyByHash(db: VaultDatabase, secretHash: string) {
  const [found] = await db
    .select({
      id: apiKeys.id,
      type: apiKeys.type,
      merchantId: apiKeys.merchantId,
      livemode: apiKeys.livemode,
      secretHash: apiKeys.secretHash,
      revokedAt: apiKeys.revokedAt,
      expiresAt: apiKeys.expiresAt,
      allowedIps: apiKeys.allowedIps,
      merchantStatus: merchants.status,
      tokenizationOrigins: merchants.tokenizationOrigins,
    })
    .from(apiKeys)
    .innerJoin(merchants, eq(merchants.id, apiKeys.merchantId))
    .where(eq(apiKeys.secretHash, secretHash))
    .limit(1);
  return found;
}

/**
 * Every origin some active merchant serves pages from. A CORS preflight carries no credentials
 * (Fetch standard, CORS-preflight request), so it cannot be checked against the caller's
 * merchant; the actual request is, after authentication. One query for all of them, so the
 * preflight answer can be cached whatever origins strangers send.
 */
export async function registeredTokenizationOrigins(db: VaultDatabase): Promise<ReadonlySet<string>> {
  const rows = await db
    .selectDistinct({ origin: sql<string>`unnest(${merchants.tokenizationOrigins})` })
    .from(merchants)
    .where(eq(merchants.status, "active"));
  return new Set(rows.map((row) => row.origin));
}

/**
 * The tokenization origins of an active publishable key's merchant, or null: decides whether
 * the hosted card frame may be served into a page (`browser.routes.ts`).
 */
export async function originsForPublishableKey(
  db: VaultDatabase,
  publishableKey: string,
  pepper: string,
): Promise<readonly string[] | null> {
  const found = await findKeyByHash(db, hashCredentialSync(pepper, publishableKey));
  if (found?.type !== "publishable" || found.revokedAt || found.merchantStatus !== "active") return null;
  if (found.expiresAt && found.expiresAt.getTime() <= Date.now()) return null;
  return found.tokenizationOrigins;
}
