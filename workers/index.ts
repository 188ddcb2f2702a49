import { app } from "./app.js";
import { routeQueueBatch } from "./queues/queue-router.js";

export { PaymentObject } from "../durable-objects/payment/payment.object.js";
export { RateLimiterObject } from "../durable-objects/rate-limiter/rate-limiter.object.js";

export default {
  fetch: app.fetch,
  queue: routeQueueBatch,
} satisfies ExportedHandler<Env>;
