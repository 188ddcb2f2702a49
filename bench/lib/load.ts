import { fork } from "node:child_process";

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

/**
 * Drives `url` with autocannon in a child process (see load-runner.mjs). A load generator on
 * the server's own event loop, or a slower one, would measure itself: the first in-house
 * generator here (node:http in a worker thread) capped a no-op route at half of what autocannon
 * reaches against the same server.
 */
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

export function runLoad(job: {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  bodies?: string[];
  /** Instead of one request shape: a sequence each connection walks through, in order. */
  steps?: LoadStep[];
  concurrency: number;
  durationMs: number;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL("./load-runner.mjs", import.meta.url), [], { stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
    child.once("message", (result) => resolve(result as LoadResult));
    child.send({ method: "GET", headers: {}, bodies: [], ...job });
  });
}
