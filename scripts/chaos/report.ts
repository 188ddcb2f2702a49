import type { CampaignOptions } from "./campaign.js";
import type { Plan } from "./plan.js";
import type { Runner } from "./runner.js";
import { describeFault, type ScheduledFault } from "./schedule.js";

/** The exact command that replays a campaign: same seed, same plan, same schedule. */
export function replayCommand(options: Pick<CampaignOptions, "seed" | "operations" | "concurrency">): string {
  return `CHAOS_SEED=${options.seed} CHAOS_OPERATIONS=${options.operations} CHAOS_CONCURRENCY=${options.concurrency} npm run chaos`;
}

/** A failed campaign, told so that a developer can replay it and see each failing payment's history. */
export function report(run: {
  options: CampaignOptions;
  plan: Plan;
  schedule: ScheduledFault[];
  runner: Runner;
  problems: Map<string, string[]>;
}): string {
  const { options, plan, schedule, runner, problems } = run;
  const lines = [
    `CHAOS CAMPAIGN FAILED - seed ${options.seed}`,
    `replay: ${replayCommand(options)}`,
    "",
    "schedule (batches of operations):",
    ...schedule.map((entry) => `  ${entry.from}-${entry.until}: ${describeFault(entry.fault)}`),
    "",
    `${problems.size} payments or keys failed their checks:`,
  ];
  for (const [subject, found] of [...problems.entries()].slice(0, 25)) {
    lines.push("", `${subject}`, ...found.map((problem) => `  ! ${problem}`));
    const slot = runner.ids.indexOf(subject);
    const records = [...runner.keys.values()].filter((record) => record.slot === slot || record.key === subject);
    const sent = records.flatMap((record) => record.sent).sort((a, b) => a.at.localeCompare(b.at));
    for (const entry of sent) {
      const step = plan.steps[entry.step];
      // The wallet payer's moves and the wallet's clock say what they did instead of a merchant request.
      const op =
        entry.how === "payer" || entry.how === "expire"
          ? entry.path
          : step && "request" in step
            ? `${step.op} ${JSON.stringify(step.request.body)}`
            : "";
      lines.push(
        `  ${entry.at} step ${entry.step} ${entry.how} ${op} -> ${entry.status}${entry.code ? ` ${entry.code}` : ""}${entry.replayed ? " (replayed)" : ""} in ${entry.ms} ms${entry.faults ? ` [faults: ${entry.faults}]` : ""}`,
      );
    }
  }
  if (problems.size > 25) lines.push("", `... and ${problems.size - 25} more`);
  lines.push("", `seed ${options.seed}; replay: ${replayCommand(options)}`);
  return lines.join("\n");
}
