import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";

/**
 * The vault's own secrets for local development, kept apart from the Worker's (`secrets.json`
 * goes to `wrangler dev` as `dev.vars`; the edge must never hold these). KEKs are not here: the
 * vault's key provider manages `vault-keks.json` itself.
 */
export interface VaultDevSecrets {
  VAULT_FINGERPRINT_SECRET: string;
}

/** Loads `path`, creating it (mode 0600) on first run. A restart must reuse it, or every fingerprint changes. */
export async function loadOrCreateVaultDevSecrets(path: string): Promise<VaultDevSecrets> {
  if (existsSync(path)) return JSON.parse(await readFile(path, "utf8")) as VaultDevSecrets;
  const secrets: VaultDevSecrets = { VAULT_FINGERPRINT_SECRET: randomBytes(32).toString("base64url") };
  await writeFile(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
