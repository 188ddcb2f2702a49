import { Agent, request } from "node:http";
import { parentPort, workerData } from "node:worker_threads";

/**
 * A closed-loop HTTP load generator in its own thread (its own core where there is one):
 * `concurrency` connections, each sending the next request when the last one answered, for
 * `durationMs`. Reports every latency so the caller can take percentiles. Plain JavaScript: a
 * worker thread does not inherit the tsx loader on Node 20.
 */
/** @type {{ url: string, method: string, headers: Record<string, string>, bodies: string[], concurrency: number, durationMs: number }} */
const job = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
const target = new URL(job.url);
/** @type {number[]} */
const latencies = [];
/** @type {Map<number, number>} */
const statuses = new Map();
let next = 0;
const deadline = Date.now() + job.durationMs;

/** @returns {Promise<void>} */
function once() {
  const body = job.bodies.length > 0 ? job.bodies[next++ % job.bodies.length] : undefined;
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        method: job.method,
        headers: { ...job.headers, ...(body ? { "Content-Length": Buffer.byteLength(body) } : {}) },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          latencies.push(performance.now() - started);
          statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
          resolve();
        });
      },
    );
    req.on("error", () => {
      statuses.set(0, (statuses.get(0) ?? 0) + 1);
      resolve();
    });
    req.end(body);
  });
}

async function loop() {
  while (Date.now() < deadline) await once();
}

await Promise.all(Array.from({ length: job.concurrency }, loop));
agent.destroy();
parentPort?.postMessage({ latencies, statuses: Object.fromEntries(statuses), seconds: job.durationMs / 1000 });
