/**
 * `npm run dlq:replay -- <queue>`: replays every parked dead letter of a queue (payment-events,
 * webhook-delivery, settlement-batch, audit-log) through the ops API. Credentials: GATEWAY_API,
 * OPS_CLIENT_ID and OPS_CLIENT_SECRET, or the running `npm start` stack's `.data/dev.json`.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadStartConfig } from "./lib/start-config.js";

const queue = process.argv[2];
if (!queue) {
  process.stderr.write("usage: npm run dlq:replay -- <payment-events|webhook-delivery|settlement-batch|audit-log>\n");
  process.exit(2);
}

const devJson = join(loadStartConfig().DATA_DIR, "dev.json");
const dev = existsSync(devJson) ? (JSON.parse(readFileSync(devJson, "utf8")) as Record<string, string>) : {};
const api = process.env.GATEWAY_API ?? dev.api;
const clientId = process.env.OPS_CLIENT_ID ?? dev.ops_client_id;
const clientSecret = process.env.OPS_CLIENT_SECRET ?? dev.ops_client_secret;
if (!api || !clientId || !clientSecret) {
  process.stderr.write("set GATEWAY_API, OPS_CLIENT_ID and OPS_CLIENT_SECRET (or run npm start first)\n");
  process.exit(2);
}

const tokenResponse = await fetch(`${api}/oauth/token`, {
  method: "POST",
  headers: {
    "Content-Type": "application/x-www-form-urlencoded",
    Authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`,
  },
  body: "grant_type=client_credentials&scope=dead_letters:write",
});
if (!tokenResponse.ok) {
  process.stderr.write(`token request failed: ${tokenResponse.status} ${await tokenResponse.text()}\n`);
  process.exit(1);
}
const { access_token: token } = (await tokenResponse.json()) as { access_token: string };

let total = 0;
for (;;) {
  const response = await fetch(`${api}/v1/ops/dead_letters/${encodeURIComponent(queue)}/replay`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { replayed?: number; has_more?: boolean; error?: { message: string } };
  if (!response.ok) {
    process.stderr.write(`replay failed: ${body.error?.message ?? response.status}\n`);
    process.exit(1);
  }
  total += body.replayed ?? 0;
  if (!body.has_more) break;
}
process.stdout.write(`replayed ${total} dead letters onto ${queue}\n`);
