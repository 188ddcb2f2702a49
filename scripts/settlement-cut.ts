/**
 * `npm run settlement:cut [-- --day YYYY-MM-DD] [--merchant acct_...] [--live | --test]`: cuts
 * settlements now through the ops API (`POST /v1/ops/settlements/cut`), as the hourly Cron Trigger
 * does at each merchant's cut-off; today's business day by default, its movements until now.
 * Credentials: GATEWAY_API, OPS_CLIENT_ID and OPS_CLIENT_SECRET, or the running `npm start`
 * stack's `.data/dev.json`. Prints the batches made as JSON.
 */
import { cliArgs } from "./lib/cli-args.js";
import { opsSession } from "./lib/ops-session.js";

const { values } = cliArgs(
  {
    options: {
      day: { type: "string" },
      merchant: { type: "string" },
      live: { type: "boolean" },
      test: { type: "boolean" },
    },
  },
  "npm run settlement:cut -- [--day YYYY-MM-DD] [--merchant acct_...] [--live | --test]",
);

const { api, token } = await opsSession("settlements:write");

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
