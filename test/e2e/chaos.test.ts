import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCampaign } from "../../scripts/chaos/campaign.js";
import { planOperations } from "../../scripts/chaos/plan.js";
import { Prng } from "../../scripts/chaos/prng.js";
import { planSchedule } from "../../scripts/chaos/schedule.js";
import { type DevJson, startStack } from "../support/running-stack.js";

/**
 * The short version of `npm run chaos` (issue 11): a fixed seed, about 60 operations, every fault
 * kind, against the stack `npm start` boots (or a running one: CHAOS_DEV_JSON=.data/dev.json).
 */
const SEED = 20_261_125;
const OPERATIONS = 60;
const CONCURRENCY = 4;

let stack: Awaited<ReturnType<typeof startStack>> | undefined;
let dev: DevJson;

beforeAll(async () => {
  if (process.env.CHAOS_DEV_JSON) dev = JSON.parse(readFileSync(process.env.CHAOS_DEV_JSON, "utf8")) as DevJson;
  else {
    stack = await startStack();
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
    const kinds = new Set(
      plan(SEED).schedule.map(({ fault }) => (fault.kind === "acquirer" ? `acquirer ${fault.mode}` : fault.kind)),
    );
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
      ].sort(),
    );
  });

  it("leaves every payment definite and equal in the object, Postgres, the acquirer and the vault's journal", async () => {
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
