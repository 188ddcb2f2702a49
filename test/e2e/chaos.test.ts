import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCampaign } from "../../scripts/chaos/campaign.js";
import { planOperations } from "../../scripts/chaos/plan.js";
import { Prng } from "../../scripts/chaos/prng.js";
import { COVERED_FAULTS, coverageName, planSchedule } from "../../scripts/chaos/schedule.js";
import { CHAOS_STACK_ENV } from "../../scripts/chaos/stack-env.js";
import { type DevJson, startStack } from "../support/running-stack.js";

/**
 * The short version of `npm run chaos` (issue 11, issue 14's UPI and issue 15's wallet): a fixed
 * seed, about 60 operations (cards, UPI collects and wallet payments with their payers), every
 * fault kind, against the stack `npm start` boots with UPI and the wallet on short timers (or a
 * running one started so: CHAOS_DEV_JSON=.data/dev.json). The seed is one whose run stays short
 * (the schedule's slowest faults mostly meet no traffic of theirs) while it still has wallet
 * payers of most kinds, with captures and refunds of wallet payments.
 */
const SEED = 20_274_123;
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
        "wallet garbled",
        "wallet http_500",
        "wallet never_answer",
        "wallet refuse",
        "wallet slow",
        "wallet_webhooks_drop",
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
    // Wallet payments (issue 15): payers who pay, decline, and never approve, automatic and manual
    // capture, returns followed and not; every order nobody approves is expired after its create;
    // captures and refunds of wallet payments.
    const wallet = steps.flatMap((step) => (step.op === "create" && step.method === "wallet" ? [step] : []));
    const payers = new Set(wallet.map((step) => step.payer));
    expect(payers.size).toBeGreaterThanOrEqual(4);
    expect(payers.has("approve") && payers.has("decline")).toBe(true);
    expect(payers.has("abandon") || payers.has("cancel")).toBe(true);
    expect(new Set(wallet.map((step) => step.manual))).toEqual(new Set([true, false]));
    expect(new Set(wallet.map((step) => step.follow))).toEqual(new Set([true, false]));
    for (const step of wallet.filter((found) => found.payer === "abandon" || found.payer === "cancel")) {
      const expiry = steps.findIndex((found) => found.op === "expire" && found.slot === step.slot);
      expect(expiry).toBeGreaterThan(steps.indexOf(step));
    }
    const walletSlots = new Set(wallet.map((step) => step.slot));
    const walletOps = new Set(steps.flatMap((step) => ("slot" in step && walletSlots.has(step.slot) ? [step.op] : [])));
    expect(walletOps.has("capture") && walletOps.has("refund")).toBe(true);
  });

  it("leaves every payment definite and equal in the object, Postgres, the acquirer, the UPI switch or the wallet, and the vault's journal", async () => {
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
