import { randomUUID } from "node:crypto";
import autocannon from "autocannon";

/**
 * The load generator, in a process of its own so it never shares the server's event loop:
 * autocannon (a closed loop of `connections` keep-alive connections, each sending the next
 * request when the last one answered) for `durationMs`. Plain JavaScript, started with `fork`,
 * so it needs no loader. Answers with one JSON message.
 *
 * A job is either `bodies` (one request shape, cycling through the bodies; with `bodiesOnce`,
 * every body is sent by one request only, across all connections, and a run that outlasts them
 * says so in `bodiesReused`) or `steps`: a
 * sequence each connection walks through, such as create-then-capture. A step may send a fresh
 * `Idempotency-Key`, keep a field of its JSON answer (`keep: "id"`), and use kept values in its
 * path (`/v1/payments/{id}/capture`). With `serverTiming`, each answer's `Server-Timing` header
 * is read: the median and mean of every metric it names, and in how many answers it appeared.
 *
 * Latencies are taken from autocannon's per-response times (high resolution), not from its
 * histogram, which keeps whole milliseconds.
 */
function requestsFor(job, noteTiming, pool) {
  if (job.steps) {
    return job.steps.map((step) => ({
      method: step.method,
      body: step.body,
      setupRequest: (request, context) => {
        const path = step.path.replace(/\{(\w+)\}/g, (_, name) => context[name] ?? "missing");
        const headers = { ...job.headers, ...(step.idempotent ? { "Idempotency-Key": randomUUID() } : {}) };
        return { ...request, path, headers };
      },
      onResponse: (_status, body, context, headers) => {
        noteTiming?.(headers);
        if (!step.keep) return;
        try {
          context[step.keep] = JSON.parse(body)[step.keep];
        } catch {
          context[step.keep] = undefined;
        }
      },
    }));
  }
  if (job.bodiesOnce) {
    return [
      {
        method: job.method,
        headers: job.headers,
        setupRequest: (request) => {
          if (pool.next >= job.bodies.length) pool.reused += 1;
          const headers = { ...job.headers, ...(job.idempotent ? { "Idempotency-Key": randomUUID() } : {}) };
          return { ...request, headers, body: job.bodies[pool.next++ % job.bodies.length] };
        },
        ...(noteTiming ? { onResponse: (_status, _body, _context, headers) => noteTiming(headers) } : {}),
      },
    ];
  }
  const bodies = job.bodies.length > 0 ? job.bodies : [undefined];
  return bodies.map((body) => ({
    method: job.method,
    headers: job.headers,
    body,
    ...(noteTiming ? { onResponse: (_status, _body, _context, headers) => noteTiming(headers) } : {}),
  }));
}

/** The p-th percentile (0-100), nearest rank, as bench/lib/percentile.ts computes it. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** `auth;dur=1.0, object;dur=12.0` -> [["auth", 1], ["object", 12]] (W3C Server Timing). */
function serverTimingMetrics(header) {
  return header
    .split(",")
    .map((metric) => metric.trim().split(";"))
    .map(([name, ...params]) => [name, Number(params.find((param) => param.startsWith("dur="))?.slice(4))])
    .filter(([name, ms]) => name && Number.isFinite(ms));
}

process.once("message", async (job) => {
  const stages = new Map();
  let timedAnswers = 0;
  const noteTiming = job.serverTiming
    ? (headers) => {
        const header = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === "server-timing")?.[1];
        if (!header) return;
        timedAnswers += 1;
        for (const [name, ms] of serverTimingMetrics(String(header))) {
          if (!stages.has(name)) stages.set(name, []);
          stages.get(name).push(ms);
        }
      }
    : undefined;
  const latencies = [];
  const pool = { next: 0, reused: 0 };
  const instance = autocannon({
    url: job.url,
    connections: job.concurrency,
    duration: job.durationMs / 1000,
    requests: requestsFor(job, noteTiming, pool),
  });
  instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await instance;
  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats.count]),
  );
  if (result.errors > 0) statuses.error = result.errors;
  if (result.timeouts > 0) statuses.timeout = result.timeouts;
  process.send(
    {
      requestsPerSecond: result.requests.total / result.duration,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      statuses,
      ...(job.bodiesOnce ? { bodiesReused: pool.reused } : {}),
      ...(job.serverTiming
        ? {
            timedAnswers,
            stages: Object.fromEntries(
              [...stages].map(([name, values]) => [
                name,
                {
                  p50: percentile(values, 50),
                  mean: values.reduce((sum, ms) => sum + ms, 0) / values.length,
                  answers: values.length,
                },
              ]),
            ),
          }
        : {}),
    },
    () => process.exit(0),
  );
});
