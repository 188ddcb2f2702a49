import autocannon from "autocannon";

/**
 * The load generator, in a process of its own so it never shares the server's event loop:
 * autocannon (a closed loop of `connections` keep-alive connections, each sending the next
 * request when the last one answered) for `durationMs`, cycling through `bodies`. Plain
 * JavaScript, started with `fork`, so it needs no loader. Answers with one JSON message.
 */
process.once("message", async (job) => {
  const body = (index) => (job.bodies.length > 0 ? job.bodies[index] : undefined);
  const requests = (job.bodies.length > 0 ? job.bodies : [undefined]).map((_, index) => ({
    method: job.method,
    headers: job.headers,
    body: body(index),
  }));
  const result = await autocannon({
    url: job.url,
    connections: job.concurrency,
    duration: job.durationMs / 1000,
    requests,
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
