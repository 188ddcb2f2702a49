/**
 * `npm run chaos`: a seeded, replayable fault campaign against the `npm start` stack (issue 11).
 * Random creates (cards, UPI collects: issue 14, and wallet payments with their payers approving,
 * declining or leaving: issue 15), captures, cancels and refunds with retries and concurrent
 * duplicates, while a schedule from the same seed breaks every hop (acquirer, vault, Postgres,
 * queue consumer, payment objects, the UPI switch's requests, credit leg and callbacks, the
 * wallet's requests and webhooks); then it heals everything and checks that money and state agree
 * everywhere.
 *
 *   CHAOS_SEED=123 CHAOS_OPERATIONS=500 CHAOS_CONCURRENCY=4 npm run chaos
 *   CHAOS_DEV_JSON=.data/dev.json npm run chaos     # against an `npm start` already running
 *
 * Without CHAOS_DEV_JSON it boots its own stack (fresh data directory, free ports) with UPI and the
 * wallet on short timers (chaos/stack-env.ts); a running stack should have been started with the same.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { type DevJson, startStack } from "../test/support/running-stack.js";
import { runCampaign } from "./chaos/campaign.js";
import { freshSeed } from "./chaos/prng.js";
import { replayCommand } from "./chaos/report.js";
import { CHAOS_STACK_ENV } from "./chaos/stack-env.js";

const env = z
  .object({
    CHAOS_SEED: z.coerce.number().int().min(0).max(4294967295).optional(),
    CHAOS_OPERATIONS: z.coerce.number().int().min(1).default(500),
    CHAOS_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
    CHAOS_SETTLE_SECONDS: z.coerce.number().int().min(10).default(180),
    CHAOS_DEV_JSON: z.string().optional(),
  })
  .parse(process.env);

const seed = env.CHAOS_SEED ?? freshSeed();
const options = {
  seed,
  operations: env.CHAOS_OPERATIONS,
  concurrency: env.CHAOS_CONCURRENCY,
  settleSeconds: env.CHAOS_SETTLE_SECONDS,
  log: (line: string) => process.stdout.write(`[chaos] ${line}\n`),
};
options.log(`seed ${seed} (replay: ${replayCommand(options)})`);

const stack = env.CHAOS_DEV_JSON ? undefined : await startStack({ ...CHAOS_STACK_ENV });
const dev: DevJson = stack ? stack.dev : (JSON.parse(readFileSync(env.CHAOS_DEV_JSON ?? "", "utf8")) as DevJson);
if (!dev.stack_admin || !dev.upi_switch_admin || !dev.wallet_admin) {
  throw new Error(
    "dev.json has no stack_admin, upi_switch_admin or wallet_admin: restart `npm start` with this version",
  );
}

let code = 1;
try {
  const result = await runCampaign(dev, options);
  if (result.ok) {
    options.log(`PASSED: ${result.payments} payments, ${result.requests} requests, seed ${seed}`);
    code = 0;
  } else {
    process.stdout.write(`\n${result.report}\n`);
  }
} catch (error) {
  process.stderr.write(`[chaos] aborted: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.stderr.write(`[chaos] seed ${seed}; replay: ${replayCommand(options)}\n`);
} finally {
  await stack?.stop();
}
process.exit(code);
