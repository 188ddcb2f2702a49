import { app } from "./app.js";
import { routeQueueBatch } from "./queues/queue-router.js";

export { PaymentObject } from "../durable-objects/payment/payment.object.js";
export { RateLimiterObject } from "../durable-objects/rate-limiter/rate-limiter.object.js";

/** The benchmark's baseline: the same worker and route shape, none of the gateway's work. */
function benchPlain(request: Request, env: Env): Response | null {
  if (env.BENCH_ROUTES !== "on" || request.method !== "POST") return null;
  if (new URL(request.url).pathname !== "/bench/plain") return null;
  return Response.json({ ok: true });
}

export default {
  fetch: (request, env, ctx) => benchPlain(request, env) ?? app.fetch(request, env, ctx),
  queue: routeQueueBatch,
} satisfies ExportedHandler<Env>;
