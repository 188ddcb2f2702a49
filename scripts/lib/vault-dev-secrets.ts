import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { exportJWK, generateKeyPair } from "jose";

/**
 * The vault's own secrets for local development, kept apart from the Worker's (`secrets.json`
 * goes to `wrangler dev` as `dev.vars`; the edge must never hold these). KEKs are not here: the
 * vault's key provider manages `vault-keks.json` itself.
 */
export interface VaultDevSecrets {
  VAULT_FINGERPRINT_SECRET: string;
  /** Private JWK (ES256) the vault signs what it hands the edge with; the edge gets the public half. */
  VAULT_NOTIFY_SIGNING_KEY: string;
  /** Shared with the acquirer simulator, which signs its chargeback advices with it. */
  ACQUIRER_NOTIFY_SECRET: string;
}

async function generate(): Promise<VaultDevSecrets> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = `vault-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString("hex")}`;
  return {
    VAULT_FINGERPRINT_SECRET: randomBytes(32).toString("base64url"),
    VAULT_NOTIFY_SIGNING_KEY: JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: "ES256" }),
    ACQUIRER_NOTIFY_SECRET: randomBytes(32).toString("base64"),
  };
}

/**
 * Loads `path`, creating it (mode 0600) on first run and adding any secret a newer version of
 * the stack needs. A restart must reuse it, or every fingerprint changes.
 */
export async function loadOrCreateVaultDevSecrets(path: string): Promise<VaultDevSecrets> {
  const existing = existsSync(path) ? (JSON.parse(await readFile(path, "utf8")) as Partial<VaultDevSecrets>) : {};
  const secrets = { ...(await generate()), ...existing };
  if (Object.keys(existing).length !== Object.keys(secrets).length) {
    await writeFile(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}

/** The public half of the vault's signing key, as the JWKS the edge verifies with. */
export function vaultNotifyJwks(secrets: VaultDevSecrets): string {
  const { kty, crv, x, y, kid, alg } = JSON.parse(secrets.VAULT_NOTIFY_SIGNING_KEY) as Record<string, string>;
  return JSON.stringify({ keys: [{ kty, crv, x, y, kid, alg, use: "sig" }] });
}
