/**
 * `npm run reconcile -- --processor acquirer_a [--day YYYY-MM-DD] [--live]`: reconciles a
 * processor's daily file for a day (today's so far by default; test mode unless --live) through
 * the ops API (`POST /v1/ops/reconciliation/runs`), then prints the run with its counts per class
 * and its first exceptions as JSON. Running a day again with the same file prints the same run.
 * Credentials: GATEWAY_API, OPS_CLIENT_ID and OPS_CLIENT_SECRET, or the running `npm start`
 * stack's `.data/dev.json`.
 */
import { parseArgs } from "node:util";
import { PROCESSOR_IDS } from "../common/processor-registry.js";
import { opsSession } from "./lib/ops-session.js";

const { values } = parseArgs({
  options: {
    processor: { type: "string" },
    day: { type: "string" },
    live: { type: "boolean" },
  },
});
if (!values.processor) {
  process.stderr.write(
    `usage: npm run reconcile -- --processor ${PROCESSOR_IDS.join("|")} [--day YYYY-MM-DD] [--live]\n`,
  );
  process.exit(2);
}

const { api, token } = await opsSession("reconciliation:write reconciliation:read");
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
