import { app } from "./app.js";
import { forwardCardAccessNow } from "./audit/card-access-forwarder.js";
import { routeQueueBatch } from "./queues/queue-router.js";
import { scheduleSettlements } from "./settlement/settlement-cron.js";

export { AuditChainObject } from "../durable-objects/audit-chain/audit-chain.object.js";
export { PaymentObject } from "../durable-objects/payment/payment.object.js";
export { ProcessorHealthObject } from "../durable-objects/processor-health/processor-health.object.js";
export { ProcessorReferenceObject } from "../durable-objects/processor-references/processor-reference.object.js";
export { RateLimiterObject } from "../durable-objects/rate-limiter/rate-limiter.object.js";

/**
 * The benchmark's baseline: the same worker and route shape, none of the gateway's work. It
 * still reads the body (an unread request body breaks the keep-alive connection).
 */
async function benchPlain(request: Request): Promise<Response> {
  return Response.json({ ok: true, note: ((await request.json()) as { note?: string }).note });
}

const isBenchPlain = (request: Request, env: Env) =>
  env.BENCH_ROUTES === "on" && request.method === "POST" && new URL(request.url).pathname === "/bench/plain";

export default {
  fetch: (request, env, ctx) => (isBenchPlain(request, env) ? benchPlain(request) : app.fetch(request, env, ctx)),
  queue: routeQueueBatch,
  // The hourly Cron Trigger (wrangler.toml): settlements whose business day closed this hour.
  scheduled: (controller, env, ctx) => {
    ctx.waitUntil(scheduleSettlements(env, new Date(controller.scheduledTime)));
    // And the vault's card accesses into the audit chain, for an hour when no audit batch took them.
    ctx.waitUntil(forwardCardAccessNow(env));
  },
} satisfies ExportedHandler<Env>;
