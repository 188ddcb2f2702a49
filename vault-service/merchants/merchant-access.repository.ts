import { and, eq, sql } from "drizzle-orm";
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
 * Whether some active merchant serves pages from `origin`. A CORS preflight carries no
 * credentials (Fetch standard, CORS-preflight request), so it cannot be checked against the
 * caller's merchant; the actual request is, after authentication.
 */
export async function isTokenizationOrigin(db: VaultDatabase, origin: string): Promise<boolean> {
  const [row] = await db
    .select({ id: merchants.id })
    .from(merchants)
    .where(and(eq(merchants.status, "active"), sql`${origin} = any(${merchants.tokenizationOrigins})`))
    .limit(1);
  return row !== undefined;
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
