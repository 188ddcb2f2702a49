/**
 * `npm run reconcile -- --processor acquirer_a [--day YYYY-MM-DD] [--live]` (or the processor alone,
 * `npm run reconcile -- acquirer_a`): reconciles a
 * processor's daily file for a day (today's so far by default; test mode unless --live) through
 * the ops API (`POST /v1/ops/reconciliation/runs`), then prints the run with its counts per class
 * and its first exceptions as JSON. Running a day again with the same file prints the same run.
 * Credentials: GATEWAY_API, OPS_CLIENT_ID and OPS_CLIENT_SECRET, or the running `npm start`
 * stack's `.data/dev.json`.
 */
import { PROCESSOR_IDS } from "../common/processor-registry.js";
import { cliArgs } from "./lib/cli-args.js";
import { opsSession } from "./lib/ops-session.js";

const USAGE = `npm run reconcile -- --processor ${PROCESSOR_IDS.join("|")} [--day YYYY-MM-DD] [--live]`;
const { values, positionals } = cliArgs(
  {
    options: {
      processor: { type: "string" },
      day: { type: "string" },
      live: { type: "boolean" },
    },
    // `npm run reconcile -- acquirer_a` names the processor too.
    allowPositionals: true,
  },
  USAGE,
);
const processor = values.processor ?? positionals[0];
if (!processor || positionals.length > (values.processor ? 0 : 1)) {
  process.stderr.write(`usage: ${USAGE}\n`);
  process.exit(2);
}

const { api, token } = await opsSession("reconciliation:write reconciliation:read");
const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };

const body = {
  processor,
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
