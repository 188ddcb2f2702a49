import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadStartConfig } from "./start-config.js";

/** An ops client's session with the gateway: its API and a bearer token for the scopes asked. */
export interface OpsSession {
  api: string;
  token: string;
}

/**
 * What the ops scripts (`dlq:replay`, `settlement:cut`, `reconcile`, `audit:verify`) run under:
 * GATEWAY_API, OPS_CLIENT_ID and OPS_CLIENT_SECRET, or the running `npm start` stack's
 * `.data/dev.json`; a token from `POST /oauth/token` (client credentials, RFC 6749 §4.4) for
 * `scope`. Exits 2 without credentials, and `refusedExit` (1 unless the script says) when the
 * token is refused.
 */
export async function opsSession(scope: string, refusedExit = 1): Promise<OpsSession> {
  const devJson = join(loadStartConfig().DATA_DIR, "dev.json");
  const dev = existsSync(devJson) ? (JSON.parse(readFileSync(devJson, "utf8")) as Record<string, string>) : {};
  const api = process.env.GATEWAY_API ?? dev.api;
  const clientId = process.env.OPS_CLIENT_ID ?? dev.ops_client_id;
  const clientSecret = process.env.OPS_CLIENT_SECRET ?? dev.ops_client_secret;
  if (!api || !clientId || !clientSecret) {
    process.stderr.write("set GATEWAY_API, OPS_CLIENT_ID and OPS_CLIENT_SECRET (or run npm start first)\n");
    process.exit(2);
  }
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64");
  const response = await fetch(`${api}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${basic}` },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
  });
  if (!response.ok) {
    process.stderr.write(`token request failed: ${response.status} ${await response.text()}\n`);
    process.exit(refusedExit);
  }
  const { access_token: token } = (await response.json()) as { access_token: string };
  return { api, token };
}
