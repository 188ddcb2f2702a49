import { and, eq, gt, isNull, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { type ApiKeyType, hashCredential } from "../../common/api-key-secret.js";
import * as schema from "../../db/schema/index.js";
import { apiKeys, merchants, opsClients } from "../../db/schema/index.js";
import { insertApiKey } from "../../workers/api-keys/api-keys.repository.js";
import type { Database } from "../../workers/db/database.js";
import { createMerchant, findMerchant } from "../../workers/merchants/merchants.repository.js";
import { createOpsClient } from "../../workers/oauth/ops-clients.repository.js";
import { OPS_SCOPES } from "../../workers/oauth/ops-scopes.js";
import { type DemoDashboardLogins, seedDashboardUsers } from "./seed-dashboard-users.js";

export const DEMO_MERCHANT_ID = "acct_DemoMerchant000000000000";
export const DEMO_OPS_CLIENT_ID = "opc_DemoOpsClient00000000000";

/** The test keys keep their first names (scripts and tests read them); the live ones say so. */
export interface DemoCredentials extends DemoDashboardLogins {
  merchant_id: string;
  secret_key: string;
  publishable_key: string;
  live_secret_key: string;
  live_publishable_key: string;
  ops_client_id: string;
  ops_client_secret: string;
}

async function keyIsUsable(db: Database, pepper: string, key: string, type: ApiKeyType, livemode: boolean) {
  const [row] = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.secretHash, await hashCredential(pepper, key)),
        eq(apiKeys.merchantId, DEMO_MERCHANT_ID),
        eq(apiKeys.type, type),
        eq(apiKeys.livemode, livemode),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, new Date())),
      ),
    );
  return row !== undefined;
}

/** The key remembered from the last run if it still works, else a fresh one of that type and mode. */
async function demoKey(
  db: Database,
  pepper: string,
  remembered: string | undefined,
  type: ApiKeyType,
  livemode: boolean,
): Promise<string> {
  if (remembered && (await keyIsUsable(db, pepper, remembered, type, livemode))) return remembered;
  return (await insertApiKey(db, pepper, { merchantId: DEMO_MERCHANT_ID, type, livemode, name: "Demo" })).secret;
}

/**
 * Makes sure the demo merchant and a demo ops client exist, and that the keys remembered from
 * the last run (a secret and a publishable key in each mode) still work; issues fresh ones only
 * when they do not (first run, a revoked key, a new pepper). Likewise the dashboard logins
 * (seed-dashboard-users.ts). Running it twice changes nothing.
 */
export async function seedDemo(
  databaseUrl: string,
  pepper: string,
  previous: Partial<DemoCredentials>,
  tokenizationOrigins: string[] = [],
): Promise<DemoCredentials> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const db = drizzle(client, { schema });
    let secretKey = previous.secret_key;
    let publishableKey = previous.publishable_key;
    if (!(await findMerchant(db, DEMO_MERCHANT_ID))) {
      const created = await createMerchant(db, pepper, {
        id: DEMO_MERCHANT_ID,
        name: "Demo Merchant",
        email: "demo@merchant.example",
        country: "US",
        default_currency: "USD",
        tokenization_origins: tokenizationOrigins,
      });
      secretKey = created.secretKey.secret;
      publishableKey = created.publishableKey.secret;
    }
    // The demo checkout's origin moves with MERCHANT_PORT; keep the merchant's registration current.
    await db.update(merchants).set({ tokenizationOrigins }).where(eq(merchants.id, DEMO_MERCHANT_ID));
    secretKey = await demoKey(db, pepper, secretKey, "secret", false);
    publishableKey = await demoKey(db, pepper, publishableKey, "publishable", false);
    const liveSecretKey = await demoKey(db, pepper, previous.live_secret_key, "secret", true);
    const livePublishableKey = await demoKey(db, pepper, previous.live_publishable_key, "publishable", true);

    let opsSecret = previous.ops_client_secret;
    const [ops] = await db.select().from(opsClients).where(eq(opsClients.id, DEMO_OPS_CLIENT_ID));
    const opsUsable =
      ops && !ops.revokedAt && opsSecret && ops.secretHash === (await hashCredential(pepper, opsSecret));
    if (opsUsable) {
      // Keep the local ops client's grant current as new scopes appear.
      await db
        .update(opsClients)
        .set({ scopes: [...OPS_SCOPES] })
        .where(eq(opsClients.id, DEMO_OPS_CLIENT_ID));
    } else {
      await db.delete(opsClients).where(eq(opsClients.id, DEMO_OPS_CLIENT_ID));
      opsSecret = (
        await createOpsClient(db, pepper, { id: DEMO_OPS_CLIENT_ID, name: "Local ops", scopes: [...OPS_SCOPES] })
      ).secret;
    }
    if (!opsSecret) throw new Error("demo seed produced no ops client secret");
    const dashboard = await seedDashboardUsers(db, DEMO_MERCHANT_ID, previous);
    return {
      merchant_id: DEMO_MERCHANT_ID,
      secret_key: secretKey,
      publishable_key: publishableKey,
      live_secret_key: liveSecretKey,
      live_publishable_key: livePublishableKey,
      ops_client_id: DEMO_OPS_CLIENT_ID,
      ops_client_secret: opsSecret,
      ...dashboard,
    };
  } finally {
    await client.end();
  }
}
