/**
 * `npm run audit:verify [-- --from YYYY-MM-DD]`: walks the audit hash chain from its first object
 * (or from the first object sealed on that day, checking its link to the object before it) to
 * the head the chain's Durable Object holds, recomputing every object's hash, its link to the one
 * before and its entries' Merkle root here, from the bytes R2 stores
 * (`GET /v1/ops/audit/chain`, ops scope `audit:read`; `common/audit-chain/chain-verify.ts`).
 * Prints OK with the counts, or the first break: the object, the entry, and what failed.
 * Exit 0 when the chain holds, 1 at a break, 2 when it could not be read.
 * Credentials: GATEWAY_API, OPS_CLIENT_ID and OPS_CLIENT_SECRET, or the running `npm start`
 * stack's `.data/dev.json`.
 */
import type { ChainLink } from "../common/audit-chain/chain-object.js";
import { ChainVerifier, describeReport } from "../common/audit-chain/chain-verify.js";
import { cliArgs } from "./lib/cli-args.js";
import { opsSession } from "./lib/ops-session.js";

const { values } = cliArgs(
  { options: { from: { type: "string" }, json: { type: "boolean" } } },
  "npm run audit:verify -- [--from YYYY-MM-DD] [--json]",
);
if (values.from !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.from)) {
  process.stderr.write("--from takes a date, YYYY-MM-DD\n");
  process.exit(2);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

// Exit 2: the chain could not be read (1 is kept for a break).
const { api, token } = await opsSession("audit:read", 2);

interface Page {
  head: ChainLink;
  first_sequence: number | null;
  has_more: boolean;
  data: { key: string; sequence: number; body_base64: string }[];
}

async function page(query: string): Promise<Page> {
  const response = await fetch(`${api}/v1/ops/audit/chain?${query}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) fail(`reading the chain failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Page;
}

let current = await page(values.from ? `from=${values.from}&limit=50` : "limit=50");
const head = current.head;
// With --from, the walk starts at the predecessor of the day's first object: its link back is
// taken on trust, the day's first object's link to it is checked.
const start = values.from ? Math.max((current.first_sequence ?? head.sequence + 1) - 1, 1) : 1;
const verifier = new ChainVerifier(start);
if (values.from && current.first_sequence === null) {
  process.stdout.write(`audit chain: no object sealed on ${values.from} or later (head is object ${head.sequence})\n`);
  process.exit(0);
}
walk: for (;;) {
  for (const object of current.data) {
    if (!(await verifier.add({ key: object.key, bytes: Buffer.from(object.body_base64, "base64") }))) break walk;
  }
  const last = current.data[current.data.length - 1];
  if (!current.has_more || !last) break;
  current = await page(`after=${last.sequence}&limit=50`);
}
// The head read at the start: objects sealed during the walk are checked next time.
const report = verifier.finish(head);
process.stdout.write(`${values.json ? JSON.stringify(report) : describeReport(report)}\n`);
process.exit(report.ok ? 0 : 1);
