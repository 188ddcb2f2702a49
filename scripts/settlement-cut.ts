/**
 * `npm run settlement:cut [-- --day YYYY-MM-DD] [--merchant acct_...] [--live | --test]`: cuts
 * settlements now through the ops API (`POST /v1/ops/settlements/cut`), as the hourly Cron Trigger
 * does at each merchant's cut-off; today's business day by default, its movements until now.
 * Credentials: GATEWAY_API, OPS_CLIENT_ID and OPS_CLIENT_SECRET, or the running `npm start`
 * stack's `.data/dev.json`. Prints the batches made as JSON.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadStartConfig } from "./lib/start-config.js";

const { values } = parseArgs({
  options: {
    day: { type: "string" },
    merchant: { type: "string" },
    live: { type: "boolean" },
    test: { type: "boolean" },
  },
});

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
const tokenResponse = await fetch(`${api}/oauth/token`, {
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${basic}` },
  body: "grant_type=client_credentials&scope=settlements:write",
});
if (!tokenResponse.ok) {
  process.stderr.write(`token request failed: ${tokenResponse.status} ${await tokenResponse.text()}\n`);
  process.exit(1);
}
const { access_token: token } = (await tokenResponse.json()) as { access_token: string };

const body = {
  ...(values.day ? { day: values.day } : {}),
  ...(values.merchant ? { merchant: values.merchant } : {}),
  ...(values.live ? { livemode: true } : values.test ? { livemode: false } : {}),
};
const response = await fetch(`${api}/v1/ops/settlements/cut`, {
  method: "POST",
  headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
  body: JSON.stringify(body),
});
const text = await response.text();
if (!response.ok) {
  process.stderr.write(`cut failed: ${response.status} ${text}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
