import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCampaign } from "../../scripts/chaos/campaign.js";
import { planOperations } from "../../scripts/chaos/plan.js";
import { Prng } from "../../scripts/chaos/prng.js";
import { COVERED_FAULTS, coverageName, planSchedule } from "../../scripts/chaos/schedule.js";
import { CHAOS_STACK_ENV } from "../../scripts/chaos/stack-env.js";
import { type DevJson, startStack } from "../support/running-stack.js";

/**
 * The short version of `npm run chaos` (issue 11, and issue 14's UPI): a fixed seed, about 60
 * operations (cards and UPI collects), every fault kind, against the stack `npm start` boots with
 * UPI on short timers (or a running one started so: CHAOS_DEV_JSON=.data/dev.json).
 */
const SEED = 20_261_125;
const OPERATIONS = 60;
const CONCURRENCY = 4;

let stack: Awaited<ReturnType<typeof startStack>> | undefined;
let dev: DevJson;

beforeAll(async () => {
  if (process.env.CHAOS_DEV_JSON) dev = JSON.parse(readFileSync(process.env.CHAOS_DEV_JSON, "utf8")) as DevJson;
  else {
    stack = await startStack({ ...CHAOS_STACK_ENV });
    dev = stack.dev;
  }
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe("the fault campaign", () => {
  it("plans the same operations and the same schedule from the same seed", () => {
    const plan = (seed: number) => {
      const prng = new Prng(seed);
      const operations = planOperations(prng, OPERATIONS, CONCURRENCY, "k");
      return { operations, schedule: planSchedule(prng, operations.batches.length) };
    };
    expect(plan(SEED)).toEqual(plan(SEED));
    expect(plan(SEED)).not.toEqual(plan(SEED + 1));
    const kinds = new Set(plan(SEED).schedule.map(({ fault }) => coverageName(fault)));
    expect([...kinds].sort()).toEqual(
      [
        "acquirer garbled",
        "acquirer never_answer",
        "acquirer refuse",
        "acquirer slow",
        "consumer_fail",
        "postgres_stop",
        "vault_kill",
        "vault_pause",
        "vault_restart",
        "upi_switch garbled",
        "upi_switch never_answer",
        "upi_switch refuse",
        "upi_switch slow",
        "upi_credit_leg fail",
        "upi_credit_leg deemed",
        "upi_callbacks_drop",
      ].sort(),
    );
    expect([...kinds].sort()).toEqual([...COVERED_FAULTS].sort());
    // UPI collects to several of the switch's test payers (never manual@upi, which waits for a
    // person), and partial and full refunds of UPI payments, are in the mix.
    const { steps } = plan(SEED).operations;
    const upi = steps.flatMap((step) => (step.op === "create" && step.method === "upi" ? [step] : []));
    expect(new Set(upi.map((step) => step.vpa)).size).toBeGreaterThanOrEqual(5);
    expect(upi.some((step) => (step.vpa as string) === "manual@upi")).toBe(false);
    const upiSlots = new Set(upi.map((step) => step.slot));
    const upiRefunds = steps.flatMap((step) => (step.op === "refund" && upiSlots.has(step.slot) ? [step] : []));
    expect(upiRefunds.some((step) => "amount" in step.request.body)).toBe(true);
    expect(upiRefunds.some((step) => !("amount" in step.request.body))).toBe(true);
  });

  it("leaves every payment definite and equal in the object, Postgres, the acquirer or the UPI switch, and the vault's journal", async () => {
    const result = await runCampaign(dev, {
      seed: SEED,
      operations: OPERATIONS,
      concurrency: CONCURRENCY,
      settleSeconds: 180,
      log: (line) => process.stdout.write(`[chaos] ${line}\n`),
    });
    if (!result.ok) process.stdout.write(`\n${result.report}\n`);
    expect(result.ok, result.report).toBe(true);
  }, 600_000);
});
