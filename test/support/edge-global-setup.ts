import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { TestProject } from "vitest/node";
import { generateClientSecret, hashCredential } from "../../common/api-key-secret.js";
import { generateDevSecrets } from "../../scripts/lib/dev-secrets.js";
import { PROJECT_ROOT } from "../../scripts/lib/start-config.js";
import { logLeaks } from "./secret-scan.js";
import { query } from "./sql-client.js";
import { startTestPostgres } from "./test-postgres.js";

/** Where the edge run leaves the secrets its log lines carried (empty when none did). */
export const LOG_LEAKS_FILE = join(PROJECT_ROOT, ".data", "test-results", "edge-log-leaks.txt");

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    apiKeyPepper: string;
    oauthSigningKeys: string;
    opsClientId: string;
    opsClientSecret: string;
    readOnlyOpsClientId: string;
    readOnlyOpsClientSecret: string;
    vaultSigningKey: string;
    webhookSecretsKey: string;
    dashboardSessionSecret: string;
  }
}

/**
 * Before the Workers-runtime tests: a real migrated Postgres, fresh Worker secrets, and two ops
 * clients (full scopes and read-only) the tests authenticate as.
 */
export default async function setup(project: TestProject) {
  mkdirSync(dirname(LOG_LEAKS_FILE), { recursive: true });
  writeFileSync(LOG_LEAKS_FILE, "");
  const database = await startTestPostgres();
  const secrets = await generateDevSecrets();
  const opsClientSecret = generateClientSecret();
  const readOnlyOpsClientSecret = generateClientSecret();
  try {
    await query(
      database.url,
      `insert into ops_clients (id, name, secret_hash, scopes) values
         ('opc_TestOpsAll000000000000000', 'tests', $1, '{merchants:read,merchants:write,api_keys:write,dead_letters:read,dead_letters:write}'),
         ('opc_TestOpsReadOnly0000000000', 'tests read-only', $2, '{merchants:read}')`,
      [
        await hashCredential(secrets.API_KEY_PEPPER, opsClientSecret),
        await hashCredential(secrets.API_KEY_PEPPER, readOnlyOpsClientSecret),
      ],
    );
  } catch (error) {
    await database.stop();
    throw error;
  }
  project.provide("databaseUrl", database.url);
  project.provide("apiKeyPepper", secrets.API_KEY_PEPPER);
  project.provide("oauthSigningKeys", secrets.OAUTH_SIGNING_KEYS);
  project.provide("opsClientId", "opc_TestOpsAll000000000000000");
  project.provide("readOnlyOpsClientId", "opc_TestOpsReadOnly0000000000");
  project.provide("opsClientSecret", opsClientSecret);
  project.provide("readOnlyOpsClientSecret", readOnlyOpsClientSecret);
  project.provide("vaultSigningKey", secrets.VAULT_SIGNING_KEY);
  project.provide("webhookSecretsKey", secrets.WEBHOOK_SECRETS_KEY);
  project.provide("dashboardSessionSecret", secrets.DASHBOARD_SESSION_SECRET);
  return async () => {
    await database.stop();
    const leaks = logLeaks();
    if (leaks.length > 0)
      throw new Error(`secrets appeared in log lines during the edge tests:\n  ${leaks.join("\n  ")}`);
  };
}
