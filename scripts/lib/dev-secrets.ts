import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { exportJWK, generateKeyPair } from "jose";

/** The Worker's secrets for local development, made once per data directory and then reused. */
export interface DevSecrets {
  API_KEY_PEPPER: string;
  OAUTH_SIGNING_KEYS: string;
}

export async function generateDevSecrets(): Promise<DevSecrets> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = `ops-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString("hex")}`;
  return {
    API_KEY_PEPPER: randomBytes(32).toString("base64url"),
    OAUTH_SIGNING_KEYS: JSON.stringify({ keys: [{ ...jwk, kid, alg: "ES256" }] }),
  };
}

/** Loads `path`, creating it (mode 0600) on first run. A restart must reuse the pepper, or every key stops verifying. */
export async function loadOrCreateDevSecrets(path: string): Promise<DevSecrets> {
  if (existsSync(path)) return JSON.parse(await readFile(path, "utf8")) as DevSecrets;
  const secrets = await generateDevSecrets();
  await writeFile(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/** The same secrets as a dotenv file for `wrangler dev --env-file` (values single-quoted: JSON has no `'`). */
export function toDotenv(secrets: DevSecrets): string {
  return `${Object.entries(secrets)
    .map(([name, value]) => `${name}='${value}'`)
    .join("\n")}\n`;
}
