import { eq, sql } from "drizzle-orm";
import { newId } from "../../common/ids.js";
import { merchants, type SettlementConfig } from "../../db/schema/index.js";
import { type IssuedApiKey, insertApiKey } from "../api-keys/api-keys.repository.js";
import type { Database } from "../db/database.js";
import { LATEST_API_VERSION } from "../versions/api-versions.js";
import type { CreateMerchantInput, UpdateMerchantInput } from "./merchants.schemas.js";
import type { MerchantRow } from "./merchants.view.js";

const DEFAULT_SETTLEMENT = { schedule: "daily", delay_days: 2, statement_descriptor: null } as const;

export async function findMerchant(db: Database, id: string): Promise<MerchantRow | undefined> {
  const [row] = await db.select().from(merchants).where(eq(merchants.id, id)).limit(1);
  return row;
}

/**
 * Creates a merchant with its first test-mode secret and publishable keys, in one transaction:
 * either the merchant and both keys exist afterwards, or none of them.
 */
export async function createMerchant(
  db: Database,
  pepper: string,
  input: CreateMerchantInput & { id?: string },
): Promise<{ merchant: MerchantRow; secretKey: IssuedApiKey; publishableKey: IssuedApiKey }> {
  return db.transaction(async (tx) => {
    const settlementConfig: SettlementConfig = {
      ...DEFAULT_SETTLEMENT,
      currency: input.default_currency,
      ...input.settlement_config,
    };
    const [merchant] = await tx
      .insert(merchants)
      .values({
        id: input.id ?? newId("merchant"),
        name: input.name,
        email: input.email,
        country: input.country,
        defaultCurrency: input.default_currency,
        settlementConfig,
        tokenizationOrigins: input.tokenization_origins ?? [],
        apiVersion: input.api_version ?? LATEST_API_VERSION,
      })
      .returning();
    if (!merchant) throw new Error("insert into merchants returned no row");
    const base = { merchantId: merchant.id, livemode: false, name: "Default" };
    const secretKey = await insertApiKey(tx, pepper, { ...base, type: "secret" });
    const publishableKey = await insertApiKey(tx, pepper, { ...base, type: "publishable" });
    return { merchant, secretKey, publishableKey };
  });
}

/** Applies a profile change; `settlement_config` fields merge into the current config. */
export async function updateMerchant(
  db: Database,
  id: string,
  input: UpdateMerchantInput,
): Promise<MerchantRow | undefined> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(merchants).where(eq(merchants.id, id)).for("update").limit(1);
    if (!current) return undefined;
    const [updated] = await tx
      .update(merchants)
      .set({
        name: input.name ?? current.name,
        email: input.email ?? current.email,
        settlementConfig: { ...current.settlementConfig, ...input.settlement_config },
        tokenizationOrigins: input.tokenization_origins ?? current.tokenizationOrigins,
        apiVersion: input.api_version ?? current.apiVersion,
        version: sql`${merchants.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(merchants.id, id))
      .returning();
    return updated;
  });
}
