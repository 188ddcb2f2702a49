/**
 * `npm run reconcile -- --processor acquirer_a [--day YYYY-MM-DD] [--live]`: reconciles a
 * processor's clearing file for a day (today's so far by default; test mode unless --live) through
 * the ops API (`POST /v1/ops/reconciliation/runs`), then prints the run with its counts per class
 * and its first exceptions as JSON. Running a day again with the same file prints the same run.
 * Credentials: GATEWAY_API, OPS_CLIENT_ID and OPS_CLIENT_SECRET, or the running `npm start`
 * stack's `.data/dev.json`.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadStartConfig } from "./lib/start-config.js";

const { values } = parseArgs({
  options: {
    processor: { type: "string" },
    day: { type: "string" },
    live: { type: "boolean" },
  },
});
if (!values.processor) {
  process.stderr.write("usage: npm run reconcile -- --processor acquirer_a [--day YYYY-MM-DD] [--live]\n");
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

const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64");
const tokenResponse = await fetch(`${api}/oauth/token`, {
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${basic}` },
  body: new URLSearchParams({ grant_type: "client_credentials", scope: "reconciliation:write reconciliation:read" }),
});
if (!tokenResponse.ok) {
  process.stderr.write(`token request failed: ${tokenResponse.status} ${await tokenResponse.text()}\n`);
  process.exit(1);
}
const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };

const body = {
  processor: values.processor,
  ...(values.day ? { day: values.day } : {}),
  ...(values.live ? { livemode: true } : {}),
};
const response = await fetch(`${api}/v1/ops/reconciliation/runs`, {
  method: "POST",
  headers,
  body: JSON.stringify(body),
});
const text = await response.text();
if (!response.ok) {
  process.stderr.write(`reconciliation failed: ${response.status} ${text}\n`);
  process.exit(1);
}
const { id } = JSON.parse(text) as { id: string };
const run = await fetch(`${api}/v1/ops/reconciliation/runs/${id}`, { headers });
process.stdout.write(`${JSON.stringify(await run.json(), null, 2)}\n`);
