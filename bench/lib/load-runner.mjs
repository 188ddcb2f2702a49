import { randomUUID } from "node:crypto";
import autocannon from "autocannon";

/**
 * The load generator, in a process of its own so it never shares the server's event loop:
 * autocannon (a closed loop of `connections` keep-alive connections, each sending the next
 * request when the last one answered) for `durationMs`. Plain JavaScript, started with `fork`,
 * so it needs no loader. Answers with one JSON message.
 *
 * A job is either `bodies` (one request shape, cycling through the bodies) or `steps`: a
 * sequence each connection walks through, such as create-then-capture. A step may send a fresh
 * `Idempotency-Key`, keep a field of its JSON answer (`keep: "id"`), and use kept values in its
 * path (`/v1/payments/{id}/capture`).
 */
function requestsFor(job) {
  if (job.steps) {
    return job.steps.map((step) => ({
      method: step.method,
      body: step.body,
      setupRequest: (request, context) => {
        const path = step.path.replace(/\{(\w+)\}/g, (_, name) => context[name] ?? "missing");
        const headers = { ...job.headers, ...(step.idempotent ? { "Idempotency-Key": randomUUID() } : {}) };
        return { ...request, path, headers };
      },
      onResponse: (_status, body, context) => {
        if (!step.keep) return;
        try {
          context[step.keep] = JSON.parse(body)[step.keep];
        } catch {
          context[step.keep] = undefined;
        }
      },
    }));
  }
  const bodies = job.bodies.length > 0 ? job.bodies : [undefined];
  return bodies.map((body) => ({ method: job.method, headers: job.headers, body }));
}

process.once("message", async (job) => {
  const result = await autocannon({
    url: job.url,
    connections: job.concurrency,
    duration: job.durationMs / 1000,
    requests: requestsFor(job),
  });
  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats.count]),
  );
  if (result.errors > 0) statuses.error = result.errors;
  if (result.timeouts > 0) statuses.timeout = result.timeouts;
  process.send(
    {
      requestsPerSecond: result.requests.total / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      statuses,
    },
    () => process.exit(0),
  );
});
