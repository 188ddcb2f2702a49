import { fork } from "node:child_process";

/** One metric of the answers' `Server-Timing` headers over a run. */
export interface StageStats {
  p50: number;
  mean: number;
  /** How many answers named it (a stage that did not run is not in the header). */
  answers: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  /** With `bodiesOnce`: the requests sent after every body had been sent once. */
  bodiesReused?: number;
  /** With `serverTiming`: the answers that carried the header, and each metric's figures. */
  timedAnswers?: number;
  stages?: Record<string, StageStats>;
}

export interface LoadStep {
  method: string;
  /** May name kept values: `/v1/payments/{id}/capture`. */
  path: string;
  body?: string;
  /** Send a fresh Idempotency-Key with each request. */
  idempotent?: boolean;
  /** Keep this field of the JSON answer for the later steps' paths. */
  keep?: string;
}

export interface LoadJob {
  /** Names the run in the error when it fails. */
  label: string;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  bodies?: string[];
  /** Send each of `bodies` once (a new card token each): running out of them fails the run. */
  bodiesOnce?: boolean;
  /** With `bodiesOnce`: a fresh Idempotency-Key with each request. */
  idempotent?: boolean;
  /** Instead of one request shape: a sequence each connection walks through, in order. */
  steps?: LoadStep[];
  concurrency: number;
  durationMs: number;
  /** The statuses this run measures (default: 200 only). */
  expect?: number[];
  /** Read each answer's Server-Timing header (one request shape per job: the stages of one route). */
  serverTiming?: boolean;
}

/** A run that met an answer it did not mean to measure: the benchmark stops, non-zero. */
export class UnexpectedAnswers extends Error {
  override name = "UnexpectedAnswers";
}

/**
 * Drives `url` with autocannon in a child process (see load-runner.mjs). A load generator on
 * the server's own event loop, or a slower one, would measure itself: the first in-house
 * generator here (node:http in a worker thread) capped a no-op route at half of what autocannon
 * reaches against the same server.
 *
 * Resolves with the run's figures, or rejects with `UnexpectedAnswers` when any answer
 * was not one of `expect` (a 429, a 500, a connection error, a timeout): a rate that counts
 * refusals measures the refusals (issue 17: a baseline that was 70 % 429s), so every benchmark
 * measures only the answers it means to, or fails loudly.
 */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const result = await new Promise<LoadResult>((resolve, reject) => {
    const child = fork(new URL("./load-runner.mjs", import.meta.url), [], { stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
    child.once("message", (answer) => resolve(answer as LoadResult));
    child.send({ method: "GET", headers: {}, bodies: [], ...job });
  });
  const expected = new Set((job.expect ?? [200]).map(String));
  const unexpected = Object.keys(result.statuses).filter((status) => !expected.has(status));
  if (unexpected.length > 0 || Object.keys(result.statuses).length === 0) {
    throw new UnexpectedAnswers(
      `\n\n  BENCHMARK FAILED: "${job.label}" met answers it does not measure.\n` +
        `  expected only ${[...expected].join(", ")}; got ${JSON.stringify(result.statuses)}\n`,
    );
  }
  if (job.bodiesOnce && (result.bodiesReused ?? 0) > 0) {
    throw new UnexpectedAnswers(
      `\n\n  BENCHMARK FAILED: "${job.label}" sent ${result.bodiesReused} requests after its ${job.bodies?.length} bodies ran out.\n`,
    );
  }
  if (job.serverTiming && result.timedAnswers === 0) {
    throw new UnexpectedAnswers(`\n\n  BENCHMARK FAILED: "${job.label}": no answer carried Server-Timing.\n`);
  }
  return result;
}
