import { app } from "./app.js";
import { forwardCardAccessNow } from "./audit/card-access-forwarder.js";
import { benchBaseline } from "./bench/bench-baselines.js";
import { routeQueueBatch } from "./queues/queue-router.js";
import { sweepReports } from "./reports/report-sweep.js";
import { scheduleSettlements } from "./settlement/settlement-cron.js";

export { AuditChainObject } from "../durable-objects/audit-chain/audit-chain.object.js";
export { BenchFloorObject } from "../durable-objects/bench/bench-floor.object.js";
export { CheckoutKeyObject } from "../durable-objects/checkout-session/checkout-key.object.js";
export { CheckoutSessionObject } from "../durable-objects/checkout-session/checkout-session.object.js";
export { DashboardSessionObject } from "../durable-objects/dashboard-session/dashboard-session.object.js";
export { PaymentObject } from "../durable-objects/payment/payment.object.js";
export { ProcessorHealthObject } from "../durable-objects/processor-health/processor-health.object.js";
export { ProcessorReferenceObject } from "../durable-objects/processor-references/processor-reference.object.js";
export { RateLimiterObject } from "../durable-objects/rate-limiter/rate-limiter.object.js";

export default {
  // The benchmarks' baselines first (BENCH_ROUTES "on" only), before any of the gateway's work.
  fetch: (request, env, ctx) => benchBaseline(request, env) ?? app.fetch(request, env, ctx),
  queue: routeQueueBatch,
  // The hourly Cron Trigger (wrangler.toml): settlements whose business day closed this hour.
  scheduled: (controller, env, ctx) => {
    ctx.waitUntil(scheduleSettlements(env, new Date(controller.scheduledTime)));
    // Reports whose message was lost are sent again; those that failed for good are marked failed.
    ctx.waitUntil(sweepReports(env, new Date(controller.scheduledTime)));
    // And the vault's card accesses into the audit chain, for an hour when no audit batch took them.
    ctx.waitUntil(forwardCardAccessNow(env));
  },
} satisfies ExportedHandler<Env>;
