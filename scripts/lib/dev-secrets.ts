import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { exportJWK, generateKeyPair } from "jose";

/** The Worker's secrets for local development, made once per data directory and then reused. */
export interface DevSecrets {
  API_KEY_PEPPER: string;
  OAUTH_SIGNING_KEYS: string;
  /** Private JWK the edge signs vault service tokens with; the vault gets its public half. */
  VAULT_SIGNING_KEY: string;
  /** AES-256 key (base64) webhook signing secrets are stored under. */
  WEBHOOK_SECRETS_KEY: string;
  /** 32 random bytes (base64) the dashboard's cookie-signing and TOTP-sealing keys derive from. */
  DASHBOARD_SESSION_SECRET: string;
}

async function es256Jwk(kidPrefix: string) {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = `${kidPrefix}-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString("hex")}`;
  return { ...(await exportJWK(privateKey)), kid, alg: "ES256" };
}

export async function generateDevSecrets(): Promise<DevSecrets> {
  return {
    API_KEY_PEPPER: randomBytes(32).toString("base64url"),
    OAUTH_SIGNING_KEYS: JSON.stringify({ keys: [await es256Jwk("ops")] }),
    VAULT_SIGNING_KEY: JSON.stringify(await es256Jwk("edge")),
    WEBHOOK_SECRETS_KEY: randomBytes(32).toString("base64"),
    DASHBOARD_SESSION_SECRET: randomBytes(32).toString("base64"),
  };
}

/**
 * Loads `path`, creating it (mode 0600) on first run, and adds any secret a newer version of
 * the stack needs. A restart must reuse the pepper, or every key stops verifying.
 */
export async function loadOrCreateDevSecrets(path: string): Promise<DevSecrets> {
  const existing = existsSync(path) ? (JSON.parse(await readFile(path, "utf8")) as Partial<DevSecrets>) : {};
  const secrets = { ...(await generateDevSecrets()), ...existing };
  if (Object.keys(existing).length !== Object.keys(secrets).length) {
    await writeFile(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}

/** The public half of the edge's vault-signing key, as the JWKS the vault verifies with. */
export function edgeTokenJwks(secrets: DevSecrets): string {
  const { kty, crv, x, y, kid, alg } = JSON.parse(secrets.VAULT_SIGNING_KEY) as Record<string, string>;
  return JSON.stringify({ keys: [{ kty, crv, x, y, kid, alg, use: "sig" }] });
}

/** The same secrets as a dotenv file for `wrangler dev --env-file` (values single-quoted: JSON has no `'`). */
export function toDotenv(secrets: DevSecrets): string {
  return `${Object.entries(secrets)
    .map(([name, value]) => `${name}='${value}'`)
    .join("\n")}\n`;
}
