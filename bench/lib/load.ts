import { Worker } from "node:worker_threads";

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Runs the load generator in a worker thread and summarizes it. */
export function runLoad(job: {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  bodies?: string[];
  concurrency: number;
  durationMs: number;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./load-worker.mjs", import.meta.url), {
      workerData: { method: "GET", headers: {}, bodies: [], ...job },
    });
    worker.once("error", reject);
    worker.once("message", (message: { latencies: number[]; statuses: Record<string, number>; seconds: number }) => {
      const sorted = [...message.latencies].sort((a, b) => a - b);
      resolve({
        requestsPerSecond: sorted.length / message.seconds,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        statuses: message.statuses,
      });
      void worker.terminate();
    });
  });
}
