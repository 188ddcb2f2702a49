/**
 * `npm run bench:settlement` (issue 16 item 6): settlement and reconciliation at scale, through the
 * whole local stack (the Worker's deploy bundle in Miniflare, Postgres, the acquirer simulator).
 *
 * A day of `BENCH_PAYMENTS` captured card payments (default 1,000,000) across `BENCH_MERCHANTS`
 * merchants (default 1,000) at acquirer A is laid down first, out of the measured time: the
 * gateway's rows (merchants, payments, attempts, pending balance transactions) by `COPY FROM
 * STDIN`, and the acquirer's journal of the same sales, which the simulator replays at start.
 *
 * 1. The cut: the hourly Cron Trigger at the merchants' cut-off (midnight UTC) sends one
 *    `settlement-batch` message per merchant; the consumer cuts each batch (files to R2, one
 *    transaction moving its movements to paid). Timed from the trigger until every batch is in
 *    Postgres, then checked: every movement paid, each batch's count and sums equal to the rows laid down.
 * 2. Reconciliation: `POST /v1/ops/reconciliation/runs` for the day, as `npm run reconcile` calls
 *    it (pull the clearing file, stage, pair, classify, R2). Checked: every line `matched`.
 *
 * Each against a baseline in the same run: `COPY (SELECT ...) TO STDOUT` of the same rows (for the
 * cut the columns it reads, for reconciliation the gateway's movements it reads), read and dropped.
 * Goals: each under 60 s and within 4x of its baseline. Any wrong answer ends the run non-zero.
 * `BENCH_STEPS` (default `cut,reconcile`) runs one of the two alone.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { opsToken, startStack } from "../test/support/running-stack.js";
import { postJson } from "./lib/http-post.js";
import { copyIn, copyOut } from "./lib/pg-copy.js";
import {
  attemptRows,
  type BenchDay,
  balanceTransactionRows,
  expectedBatches,
  merchantId,
  merchantRows,
  paymentRows,
  writeLedgerJournal,
} from "./lib/settlement-day.js";

const GOAL_SECONDS = 60;
const GOAL_RATIO = 4;
const payments = Number(process.env.BENCH_PAYMENTS ?? 1_000_000);
const merchants = Number(process.env.BENCH_MERCHANTS ?? 1_000);
// A STAN has six digits: past a million the RRNs of one hour would repeat.
if (!Number.isInteger(payments) || payments < 1 || payments > 1_000_000 || !Number.isInteger(merchants)) {
  process.stderr.write("BENCH_PAYMENTS must be 1..1000000 and BENCH_MERCHANTS a whole number\n");
  process.exit(2);
}
if (merchants < 1 || merchants > payments) {
  process.stderr.write("BENCH_MERCHANTS must be 1..BENCH_PAYMENTS\n");
  process.exit(2);
}
// Yesterday (UTC): a closed day, so the cron cuts it whole and the acquirer's file for it is whole.
const day: BenchDay = { day: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), payments, merchants };
const dayStart = `${day.day}T00:00:00Z`;
const dayEnd = new Date(Date.parse(dayStart) + 86_400_000);
const steps = new Set((process.env.BENCH_STEPS ?? "cut,reconcile").split(",").map((step) => step.trim()));
if ([...steps].some((step) => step !== "cut" && step !== "reconcile") || steps.size === 0) {
  process.stderr.write("BENCH_STEPS lists cut and/or reconcile\n");
  process.exit(2);
}
const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const seconds = (from: number) => (performance.now() - from) / 1000;

let started = performance.now();
const stack = await startStack({ EDGE_RUNTIME: "miniflare" }, async (dataDir) => {
  mkdirSync(join(dataDir, "acquirer"), { recursive: true });
  await writeLedgerJournal(day, join(dataDir, "acquirer", "acquirer-ledger.ndjson"));
});
say(`stack up with acquirer A's journal of ${payments.toLocaleString("en")} sales in ${seconds(started).toFixed(1)} s`);
const { dev } = stack;
const db = new pg.Client({ connectionString: dev.database_url });
db.on("error", () => {});
await db.connect();
try {
  started = performance.now();
  for (const rows of [merchantRows(day), paymentRows(day), attemptRows(day), balanceTransactionRows(day)]) {
    await copyIn(db, `copy ${rows.table} (${rows.columns.join(", ")}) from stdin`, rows.chunks);
  }
  await db.query("analyze merchants, payments, payment_attempts, balance_transactions");
  say(
    `laid down ${merchants} merchants and ${payments} payments, attempts, movements in ${seconds(started).toFixed(1)} s`,
  );

  process.stdout.write(
    `\nsettlement and reconciliation at scale: ${payments.toLocaleString("en")} captured payments, ` +
      `${merchants.toLocaleString("en")} merchants, day ${day.day}\n` +
      `${"step".padEnd(58)} ${"rows".padStart(10)} ${"seconds".padStart(8)}  ratio  goals\n`,
  );

  if (steps.has("cut")) await cut();
  if (steps.has("reconcile")) await reconcileDay();
} finally {
  await db.end().catch(() => {});
  await stack.stop();
}

/** 1. The cut, against its baseline. */
async function cut(): Promise<void> {
  const cutBaseline = await timedCopy(
    `select * from balance_transactions where status = 'pending' and livemode = false
     and created_at >= '${dayStart}' and created_at < '${dayEnd.toISOString()}'`,
  );
  const started = performance.now();
  // The cron at five past midnight (wrangler.toml's `5 * * * *`): the day that closed at 00:00 is cut.
  const trigger = await fetch(
    `${dev.api}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("5 * * * *")}&time=${dayEnd.getTime() + 300_000}`,
  );
  if (!trigger.ok) throw new Error(`the Cron Trigger answered ${trigger.status}: ${await trigger.text()}`);
  await untilBatches(merchants);
  const cutSeconds = seconds(started);
  await checkBatches();
  row("baseline: COPY of the movements the cut reads", cutBaseline.rows, cutBaseline.seconds);
  row(`cut: cron -> queue -> ${merchants} batches, files in R2, paid`, payments, cutSeconds, cutBaseline.seconds);
}

/** 2. Reconciliation, against its baseline. */
async function reconcileDay(): Promise<void> {
  const reconBaseline = await timedCopy(
    `select id, type, source_id, payment_id, merchant_id, amount, fee, currency, created_at from balance_transactions
     where processor = 'acquirer_a' and livemode = false and type in ('charge', 'refund')
     and created_at >= '${dayStart}' and created_at < '${dayEnd.toISOString()}'`,
  );
  const fileRead = await timedFileRead(stack.dataDir);
  const ops = await opsToken(dev);
  const started = performance.now();
  const run = await postJson(
    `${dev.api}/v1/ops/reconciliation/runs`,
    { processor: "acquirer_a", day: day.day },
    { Authorization: `Bearer ${ops}` },
  );
  const reconSeconds = seconds(started);
  row("baseline: COPY of the gateway movements reconciled", reconBaseline.rows, reconBaseline.seconds);
  row("(the clearing file pulled once, no work: for reference)", fileRead.lines, fileRead.seconds);
  checkRun(run, reconSeconds);
  row("reconcile: ops route, file pulled, staged, paired, matched", payments, reconSeconds, reconBaseline.seconds);
}

/** One measured step, with its ratio to its baseline and the goals' verdicts when it has one. */
function row(name: string, rows: number, value: number, baseline?: number): void {
  const verdict = (met: boolean) => (met ? "met" : "NOT met");
  const goals =
    baseline === undefined
      ? ""
      : `${(value / baseline).toFixed(1).padStart(6)}x  ${verdict(value < GOAL_SECONDS)} (< ${GOAL_SECONDS} s), ` +
        `${verdict(value / baseline <= GOAL_RATIO)} (<= ${GOAL_RATIO}x)`;
  process.stdout.write(
    `${name.padEnd(58)} ${rows.toLocaleString("en").padStart(10)} ${value.toFixed(2).padStart(8)} ${goals}\n`,
  );
}

/** `COPY (<select>) TO STDOUT`, read and dropped, timed. */
async function timedCopy(select: string) {
  const from = performance.now();
  const { rows } = await copyOut(db, `copy (${select}) to stdout`);
  const taken = seconds(from);
  if (rows !== payments) throw new Error(`the baseline read ${rows} rows, not ${payments}`);
  return { rows, seconds: taken };
}

/** The acquirer's file for the day, pulled as the gateway pulls it and dropped: what the simulator costs. */
async function timedFileRead(dataDir: string) {
  const secrets = JSON.parse(readFileSync(join(dataDir, "edge-secrets.json"), "utf8")) as Record<string, string>;
  const from = performance.now();
  const response = await fetch(`${dev.acquirer_a_admin}/reports/clearing/${day.day}`, {
    headers: { Authorization: `Bearer ${secrets.RECON_ACQUIRER_A_TOKEN}` },
  });
  if (response.status !== 200 || !response.body) throw new Error(`the clearing file: ${response.status}`);
  let lines = 0;
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    for (let at = read.value.indexOf(10); at !== -1; at = read.value.indexOf(10, at + 1)) lines += 1;
  }
  const taken = seconds(from);
  // A header, the detail lines, a trailer and one total (one currency).
  if (lines !== payments + 3) throw new Error(`the clearing file has ${lines} lines, not ${payments + 3}`);
  return { lines: payments, seconds: taken };
}

/** Polls Postgres until every merchant's batch of the day is written. */
async function untilBatches(count: number): Promise<void> {
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    const { rows } = await db.query<{ made: string }>(
      "select count(*) as made from settlements where day = $1 and merchant_id like 'acct_Bench%'",
      [day.day],
    );
    if (Number(rows[0]?.made) === count) return;
    if (Date.now() > deadline) throw new Error(`after 20 minutes ${rows[0]?.made} of ${count} batches were cut`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every movement paid by its merchant's batch; each batch's count and sums those of the rows laid down. */
async function checkBatches(): Promise<void> {
  const pending = await db.query("select 1 from balance_transactions where status = 'pending' limit 1");
  if (pending.rowCount !== 0) throw new Error("a movement is still pending after the cut");
  const { rows } = await db.query<{ merchant_id: string; transaction_count: number; amount: string; fee: string }>(
    "select merchant_id, transaction_count, amount, fee, net from settlements where day = $1 and merchant_id like 'acct_Bench%'",
    [day.day],
  );
  const made = new Map(rows.map((row) => [row.merchant_id, row]));
  expectedBatches(day).forEach((expected, index) => {
    const batch = made.get(merchantId(index));
    if (
      !batch ||
      batch.transaction_count !== expected.count ||
      Number(batch.amount) !== expected.amount ||
      Number(batch.fee) !== expected.fee
    ) {
      throw new Error(`${merchantId(index)}'s batch ${JSON.stringify(batch)} is not ${JSON.stringify(expected)}`);
    }
  });
  const failed = apiErrors().filter((line) => line.includes("settlement-batch job failed"));
  if (failed.length > 0) throw new Error(`${failed.length} cut jobs failed and were retried:\n${failed[0]}`);
}

/** The Worker's errors so far, one line each (its log goes with the stack's data directory when it stops). */
function apiErrors(): string[] {
  return readFileSync(join(stack.dataDir, "logs", "api.log"), "utf8")
    .split("\n")
    .filter((line) => line.includes(`"level":"error"`) && line.includes(`"error_message"`))
    .map((line) => {
      const entry = JSON.parse(line) as { message: string; error_message?: string; cause?: { error_message?: string } };
      const cause = entry.cause?.error_message ? ` (cause: ${entry.cause.error_message})` : "";
      return `  ${entry.message}: ${(entry.error_message ?? "").replace(/\s+/g, " ").slice(0, 160)}${cause}`;
    });
}

/** The run answered 200 with every line matched and nothing else. */
function checkRun(run: { status: number; json: Record<string, unknown> }, taken: number): void {
  const counts = run.json.counts as Record<string, number> | undefined;
  const file = run.json.file as { lines?: number } | undefined;
  if (run.status !== 200 || !counts) {
    throw new Error(
      `reconciliation answered ${run.status} after ${taken.toFixed(2)} s: ${JSON.stringify(run.json)}\n${apiErrors().join("\n")}`,
    );
  }
  const others = Object.entries(counts).filter(([name, count]) => name !== "matched" && count !== 0);
  if (
    counts.matched !== payments ||
    others.length > 0 ||
    file?.lines !== payments ||
    run.json.gateway_count !== payments
  ) {
    throw new Error(`reconciliation did not match every line: ${JSON.stringify(run.json)}`);
  }
}
