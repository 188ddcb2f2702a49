/**
 * `npm run bench:webhooks`: how long a merchant waits for a webhook. Automatic-capture payments
 * are made through the whole local stack (the Worker's deploy bundle in Miniflare, vault,
 * simulator, Postgres) while a receiver on a local port verifies every delivery with the npm
 * `standardwebhooks` package. For each `payment.captured` event it measures the time from the
 * API's answer to the create call (the capture has happened by then) to the verified delivery:
 * the outbox alarm, the payment-events queue and projection, the webhook-delivery queue and the
 * signed POST. Printed with the deliveries per second over the run, and against the time of the
 * payment call itself. Goal on 2 cores: p99 <= 2 s. `BENCH_SECONDS`, `BENCH_CONCURRENCY` tune it.
 */

import { apiCall, startStack, tokenizeCard } from "../test/support/running-stack.js";
import { WebhookReceiver } from "../test/support/webhook-receiver.js";
import { benchMerchant } from "./lib/bench-merchant.js";
import { percentile } from "./lib/percentile.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1);

const stack = await startStack({ EDGE_RUNTIME: "miniflare", WEBHOOK_LOCAL_RECEIVERS: "on" });
const receiver = new WebhookReceiver();
try {
  // A bench merchant: the demo's ordinary limits would bind at higher BENCH_CONCURRENCY.
  const dev = await benchMerchant(stack.dev);
  await receiver.start();
  const endpoint = await apiCall(dev, "POST", "/v1/webhook_endpoints", {
    json: { url: receiver.url, enabled_events: ["payment.captured"] },
  });
  receiver.secret = endpoint.json.secret;
  const token = await tokenizeCard(dev, "4242424242424242");
  const answeredAt = new Map<string, number>();
  const callMs: number[] = [];
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        const created = await apiCall(dev, "POST", "/v1/payments", {
          json: { amount: 1_000, currency: "usd", payment_method: { type: "card", token } },
        });
        if (created.status !== 200) throw new Error(`BENCHMARK FAILED: a create answered ${created.status}`);
        answeredAt.set(created.json.id, performance.now());
        callMs.push(performance.now() - sent);
      }
    }),
  );
  // Wait for the stragglers (up to 30 s), then match each delivery to its payment.
  const until = performance.now() + 30_000;
  const paymentOf = (body: string) => (JSON.parse(body) as { data: { object: { id: string } } }).data.object.id;
  while (receiver.deduplicated.length < answeredAt.size && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const delivered = receiver.deduplicated;
  const waits = delivered.map(
    (request) => request.receivedAt - (answeredAt.get(paymentOf(request.body)) ?? Number.NaN),
  );
  const last = Math.max(...delivered.map((request) => request.receivedAt));
  const unverified = receiver.requests.filter((request) => !request.verified).length;
  process.stdout.write(
    `\nwebhook delivery through the whole stack, ${CONCURRENCY} concurrent payers, ${SECONDS} s\n` +
      `payments answered                 ${answeredAt.size}\n` +
      `verified deliveries               ${delivered.length} (unverified requests: ${unverified}, duplicates: ${receiver.requests.length - delivered.length - unverified})\n` +
      `deliveries per second             ${((delivered.length * 1000) / (last - started)).toFixed(1)}\n` +
      `payment call p50 / p99 ms         ${percentile(callMs, 50).toFixed(0)} / ${percentile(callMs, 99).toFixed(0)}\n` +
      `answer -> verified delivery, ms   p50 ${percentile(waits, 50).toFixed(0)}, p99 ${percentile(waits, 99).toFixed(0)} (goal p99 <= 2000: ${percentile(waits, 99) <= 2000 ? "met" : "NOT met"})\n`,
  );
} finally {
  await receiver.stop();
  await stack.stop();
}
