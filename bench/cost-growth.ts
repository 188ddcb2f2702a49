/**
 * `npm run bench:growth` (issue 17 item 6): the cost of a payment, a list page and the projection
 * as the data grows. The whole local stack runs (the Worker's deploy bundle in Miniflare, vault,
 * acquirer simulator, Postgres); a bench merchant (lib/bench-merchant.ts) makes one real payment
 * of each kind in the mix, and the platform's history is copied from the projection's own rows
 * for them (lib/growth-templates.ts, lib/growth-data.ts) by `COPY FROM STDIN`, out of the measured
 * time: `BENCH_GROWTH_SIZES` payments in all (default 10,000, 100,000 and 1,000,000), one in 20
 * the bench merchant's, the rest spread over 1,000 others, one every 30 s back from the start.
 *
 * At each size, in the same run: create-payment latency (automatic capture, one at a time);
 * `GET /v1/payments?limit=10` for the bench merchant: the first page, a page deep in its history
 * (`starting_after` a payment 90% of the way back), a status filter (`refunded`, 3% of payments,
 * and `expired`, which card payments never are)
 * and a `created[gte]`/`created[lte]` window in the first size's history; and the projection's drain
 * rate (lib/growth-measures.ts). Then the table: sizes as columns, each ratio to the first size,
 * met when no size costs more than 1.5x the first. `BENCH_GROWTH_EXPLAIN=1` prints the list
 * queries' plans at the last size.
 */
import pg from "pg";
import { startStack, tokenizeCard } from "../test/support/running-stack.js";
import { benchMerchant } from "./lib/bench-merchant.js";
import {
  BENCH_SHARE,
  benchPayments,
  createdAt,
  historyPaymentId,
  historyRows,
  isBenchPayment,
  kindOf,
  merchantCopies,
  prepare,
} from "./lib/growth-data.js";
import { explainLists, explainProjection } from "./lib/growth-explain.js";
import { createLatency, type Latency, listLatency, projectionDrain } from "./lib/growth-measures.js";
import { makeProbes } from "./lib/growth-probes.js";
import { readMerchant, readTemplate } from "./lib/growth-templates.js";
import { copyIn } from "./lib/pg-copy.js";

const GOAL_RATIO = 1.5;
const SIZES = (process.env.BENCH_GROWTH_SIZES ?? "10000,100000,1000000").split(",").map(Number);
const CREATES = Number(process.env.BENCH_GROWTH_CREATES ?? 100);
const LISTS = Number(process.env.BENCH_GROWTH_LISTS ?? 100);
const HOLD_MS = Number(process.env.BENCH_GROWTH_HOLD_SECONDS ?? 6) * 1000;
const CONCURRENCY = 8;
const PAGE = 10;
if (SIZES.some((size, n) => !Number.isInteger(size) || size < 1_000 || size <= (SIZES[n - 1] ?? 0))) {
  process.stderr.write("BENCH_GROWTH_SIZES must be growing whole numbers of at least 1000, e.g. 10000,100000\n");
  process.exit(2);
}
const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(1);

const stack = await startStack({ EDGE_RUNTIME: "miniflare" });
const db = new pg.Client({ connectionString: stack.dev.database_url });
db.on("error", () => {});
await db.connect();
try {
  const dev = await benchMerchant(stack.dev);
  const token = await tokenizeCard(dev, "4242424242424242");
  const probes = await makeProbes(dev, db);
  const templates = {
    captured: prepare(await readTemplate(db, "captured", probes.captured)),
    failed: prepare(await readTemplate(db, "failed", probes.failed)),
    authorized: prepare(await readTemplate(db, "authorized", probes.authorized)),
    refunded: prepare(await readTemplate(db, "refunded", probes.refunded)),
  };
  const merchants = merchantCopies(await readMerchant(db, dev.merchant_id), dev.merchant_id);
  await copyIn(db, `copy merchants (${merchants.columns.join(", ")}) from stdin`, merchants.chunks);
  const base = Date.now() - 60_000;
  // A window of the first size's history (its middle fifth), which every later size also holds.
  const window = {
    from: Math.floor(createdAt(base, Math.floor(SIZES[0]! * 0.6)) / 1000),
    to: Math.floor(createdAt(base, Math.floor(SIZES[0]! * 0.4)) / 1000),
  };
  const windowQuery = `created[gte]=${window.from}&created[lte]=${window.to}`;
  const inWindow = (i: number) => createdAt(base, i) >= window.from * 1000 && createdAt(base, i) <= window.to * 1000;

  const results: Record<string, number[]> = {};
  const record = (name: string, value: number) => {
    results[name] ??= [];
    results[name].push(value);
  };
  const recordLatency = (name: string, latency: Latency) => {
    record(`${name} p50 ms`, latency.p50);
    record(`${name} p95 ms`, latency.p95);
  };
  let laid = 0;
  for (const size of SIZES) {
    const started = performance.now();
    for (const rows of historyRows(templates, laid, size, base)) {
      await copyIn(db, `copy ${rows.table} (${rows.columns.join(", ")}) from stdin`, rows.chunks);
    }
    // As a database that has lived with these rows: vacuumed (visibility map set, so autovacuum does
    // not start on them mid-measurement), statistics current, dirty pages written out.
    await db.query(
      "vacuum (analyze) merchants, payments, payment_attempts, payment_events, refunds, events, balance_transactions",
    );
    await db.query("checkpoint");
    say(`laid down payments ${laid.toLocaleString("en")}..${size.toLocaleString("en")} in ${seconds(started)} s`);
    laid = size;

    // A bench payment 90% of the way back, with enough older neighbours to fill the page after it.
    let deep = Math.min(Math.floor(size * 0.9), size - (PAGE + 1) * BENCH_SHARE);
    while (!isBenchPayment(deep)) deep -= 1;
    const cursor = historyPaymentId(templates.captured.template, deep);
    if (createdAt(base, deep) > base) throw new Error("the deep cursor is not in the history");

    // Warm-up: the JIT, the limiter objects, the key caches, the links to the vault and Postgres.
    await createLatency(dev, token, 10);
    await listLatency(dev, "", PAGE, PAGE, 10);
    // What each page must hold: a full page, or all the bench merchant has of it (the refunded probe too).
    const page = (count: number) => Math.min(PAGE, count);
    const refunded = page(benchPayments(size, (i) => kindOf(i) === "refunded") + 1);
    const windowed = page(benchPayments(size, inWindow));
    recordLatency("create-payment, auto capture, 1 conn", await createLatency(dev, token, CREATES));
    recordLatency("list: first page", await listLatency(dev, "", PAGE, PAGE, LISTS));
    recordLatency(
      "list: deep page (starting_after)",
      await listLatency(dev, `starting_after=${cursor}`, PAGE, PAGE, LISTS),
    );
    recordLatency("list: status=refunded", await listLatency(dev, "status=refunded", PAGE, refunded, LISTS));
    // A status the merchant has none of (card payments never expire): nothing to find, however deep it looks.
    recordLatency("list: status=expired (none)", await listLatency(dev, "status=expired", PAGE, 0, LISTS));
    recordLatency("list: created[gte]/[lte] window", await listLatency(dev, windowQuery, PAGE, windowed, LISTS));
    // The creates above leave messages behind; the drain starts on an idle queue.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // Three drains, the median kept: one lasts about a second, and the machine is shared.
    const drains = [];
    for (let n = 0; n < 3; n++) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      drains.push(await projectionDrain(dev, token, CONCURRENCY, HOLD_MS));
    }
    const drain = drains.sort((a, b) => a.perSecond - b.perSecond)[1]!;
    record("projection: messages/s (drain)", drain.perSecond);
    say(
      `at ${size.toLocaleString("en")}: projection drained ${drains.map((d) => `${d.messages} messages in ${d.seconds.toFixed(2)} s`).join(", ")}`,
    );
    if (process.env.BENCH_GROWTH_EXPLAIN === "1" && size === SIZES.at(-1)) {
      process.stdout.write(await explainLists(db, dev, cursor, window));
      process.stdout.write(await explainProjection(db, dev));
    }
  }

  // A latency grows when it is higher; a throughput when it is lower: the ratio is the cost's growth.
  const growth = (name: string, values: number[], n: number) =>
    name.includes("/s") ? (values[0] ?? 0) / (values[n] ?? 1) : (values[n] ?? 0) / (values[0] ?? 1);
  const width = 12;
  const lines = Object.entries(results).map(([name, values]) => {
    const cells = values.map((value, n) => {
      const text = value >= 100 ? value.toFixed(0) : value.toFixed(1);
      return (n === 0 ? text : `${text} ${growth(name, values, n).toFixed(2)}x`).padStart(width + (n ? 4 : 0));
    });
    const worst = Math.max(...values.map((_, n) => growth(name, values, n)));
    return `${name.padEnd(40)} ${cells.join(" ")}  ${worst <= GOAL_RATIO ? "met" : "NOT met"} (<= ${GOAL_RATIO}x)`;
  });
  process.stdout.write(
    `\ncost growth: the bench merchant holds one in 20 of the payments; ratios to the first size\n` +
      `${"payments in Postgres".padEnd(40)} ${SIZES.map((size, n) => size.toLocaleString("en").padStart(width + (n ? 4 : 0))).join(" ")}\n` +
      `${lines.join("\n")}\n`,
  );
} finally {
  await db.end().catch(() => {});
  await stack.stop();
}
