import { STAGES } from "../../workers/middleware/server-timing/stage-timings.js";
import type { LoadResult } from "./load.js";

/** A stage's mean over every answer, counting 0 where it did not run. */
function meanOverAll(run: LoadResult, stage: string): number {
  const stats = run.stages?.[stage];
  return stats && run.timedAnswers ? (stats.mean * stats.answers) / run.timedAnswers : 0;
}

const cell = (text: string) => text.padStart(16);

/**
 * Where a route's time goes, from its answers' Server-Timing headers (workers/middleware/
 * server-timing), one column per run: each stage's median and mean in ms, the server's total, the
 * part no stage accounts for (routing, JSON, Hono: mean total less the stages' means), and what
 * the client waited. workerd's clock steps in whole milliseconds, so a stage under 1 ms shows as
 * a median of 0 with a mean that says how often it crossed a millisecond.
 */
export function stageBreakdown(title: string, runs: [string, LoadResult][]): string {
  const header = `${"stage (ms)".padEnd(22)}${runs.map(([name]) => cell(name)).join("")}`;
  const rows = STAGES.filter((stage) => runs.some(([, run]) => run.stages?.[stage])).map(
    (stage) =>
      `${stage.padEnd(22)}${runs
        .map(([, run]) => {
          const stats = run.stages?.[stage];
          return cell(stats ? `${stats.p50.toFixed(1)} / ${stats.mean.toFixed(1)}` : "-");
        })
        .join("")}`,
  );
  const total = (run: LoadResult) => run.stages?.total;
  const unaccounted = (run: LoadResult) =>
    (total(run)?.mean ?? Number.NaN) - STAGES.reduce((sum, stage) => sum + meanOverAll(run, stage), 0);
  return [
    `\n${title} (p50 / mean per stage, from Server-Timing)`,
    header,
    ...rows,
    `${"total (server)".padEnd(22)}${runs.map(([, run]) => cell(`${total(run)?.p50.toFixed(1)} / ${total(run)?.mean.toFixed(1)}`)).join("")}`,
    `${"in no stage (mean)".padEnd(22)}${runs.map(([, run]) => cell(unaccounted(run).toFixed(1))).join("")}`,
    `${"client latency p50".padEnd(22)}${runs.map(([, run]) => cell(run.p50.toFixed(1))).join("")}`,
  ].join("\n");
}
