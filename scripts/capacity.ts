import { parseArgs } from "node:util";
import { assumed as withOverrides } from "./capacity/assumptions.js";
import { checkEvaluation, checkModel } from "./capacity/checks.js";
import { checkMix, DEFAULT_MIX, parseMix } from "./capacity/mix.js";
import { evaluate, RESOURCES, saturationLoad } from "./capacity/model.js";
import { costTable, header, human, loadReport } from "./capacity/report.js";

/**
 * `npm run capacity` (Node 20 runs TypeScript through tsx: `node --import tsx scripts/capacity.ts`):
 * plays the capacity model of docs/capacity.md at 1k, 10k and 65k payments/s (or `--loads`),
 * prints every resource's demand, limit and partitions as built and as planned, the binding
 * limit at each load, and the order in which limits are reached as load grows. Exits 1 when the
 * model's own arithmetic does not hold (a planned partition over its limit, totals that do not
 * add up), 2 on bad arguments.
 */
function main(): number {
  let options: ReturnType<typeof parse>;
  try {
    options = parse();
  } catch (error) {
    console.error(`capacity: ${(error as Error).message}`);
    return 2;
  }
  const { mix, assumed, loads } = options;
  console.log(header(mix, assumed));
  console.log(
    `\nWhat each flow costs (a refund is per refund; the average payment includes ${mix.refundsPerPayment} refunds):`,
  );
  console.log(costTable(mix, assumed));
  const failures = checkModel(mix, assumed);
  for (const load of loads) {
    const evaluation = evaluate(load, mix, assumed);
    console.log(`\n${loadReport(evaluation)}`);
    failures.push(...checkEvaluation(evaluation, mix));
  }
  console.log("\nAs built, limits are reached in this order as load grows (payments/s):");
  const order = RESOURCES.map((resource) => ({ resource, load: saturationLoad(resource, mix, assumed) })).sort(
    (a, b) => a.load - b.load,
  );
  for (const { resource, load } of order) console.log(`  ${human(load).padStart(7)}  ${resource.name}`);
  if (failures.length > 0) {
    console.error(`\nThe model's arithmetic does not hold (${failures.length}):\n  ${failures.join("\n  ")}`);
    return 1;
  }
  console.log(
    `\nChecks passed: totals add up kind by kind, every transition is drained once, and every planned partition is within its plan (no object over 500 requests/s, no queue over 5,000 messages/s) at ${loads.map((load) => human(load)).join(", ")} payments/s.`,
  );
  return 0;
}

function parse() {
  const { values } = parseArgs({
    options: {
      mix: { type: "string", default: process.env.CAPACITY_MIX },
      refunds: { type: "string", default: process.env.CAPACITY_REFUNDS },
      loads: { type: "string", default: "1000,10000,65000" },
      assume: { type: "string", multiple: true, default: [] },
    },
  });
  const refunds = values.refunds === undefined ? DEFAULT_MIX.refundsPerPayment : Number(values.refunds);
  const mix = values.mix ? parseMix(values.mix, refunds) : checkMix({ ...DEFAULT_MIX, refundsPerPayment: refunds });
  const overrides = Object.fromEntries(
    values.assume.map((pair) => {
      const [name, value] = pair.split("=");
      if (!name || value === undefined) throw new Error(`--assume takes name=value, not '${pair}'`);
      return [name, Number(value)];
    }),
  );
  const loads = values.loads.split(",").map(Number);
  if (loads.some((load) => !Number.isFinite(load) || load <= 0))
    throw new Error(`--loads takes positive numbers, not '${values.loads}'`);
  return { mix, assumed: withOverrides(overrides), loads };
}

process.exitCode = main();
