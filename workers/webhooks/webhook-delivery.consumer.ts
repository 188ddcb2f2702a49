import { connect, type Database } from "../db/database.js";
import { eventPayload } from "../events/events.view.js";
import { describeError, log } from "../logging/logger.js";
import { downgradeResponse } from "../versions/transform.js";
import { MAX_QUEUE_DELAY_SECONDS, retryDelaySeconds, retrySchedule } from "./retry-schedule.js";
import {
  type AttemptOutcome,
  abandonDelivery,
  type DeliveryMessage,
  loadDelivery,
  recordAttempt,
} from "./webhook-deliveries.repository.js";
import { updateEndpoint } from "./webhook-endpoints.repository.js";
import { postWebhook } from "./webhook-request.js";
import { openWebhookSecret } from "./webhook-secret.js";
import { signatureHeader } from "./webhook-signature.js";

type DeliveryEnv = Pick<
  Env,
  | "WEBHOOK_SECRETS_KEY"
  | "WEBHOOK_DELIVERY"
  | "HYPERDRIVE"
  | "WEBHOOK_RETRY_SCHEDULE_SECONDS"
  | "WEBHOOK_LOCAL_RECEIVERS"
>;

/**
 * The `webhook-delivery` consumer: one message per (event, endpoint) attempt. Each message names
 * the delivery and how many attempts it had when sent; the delivery row in Postgres is the truth,
 * so a stale or duplicated message does nothing. A failed attempt schedules the next one as a new
 * delayed message (and acknowledges this one), so the retry budget is the schedule's, not the
 * queue's; waits longer than a queue delay are chained. Messages are worked in parallel: one slow
 * endpoint (up to 15 s) must not hold up the others.
 */
export async function consumeWebhookDeliveries(batch: MessageBatch<DeliveryMessage>, env: DeliveryEnv) {
  let connection: Awaited<ReturnType<typeof connect>>;
  try {
    connection = await connect(env);
  } catch (error) {
    log("warn", "webhook delivery: database unreachable, batch retried", describeError(error));
    batch.retryAll({ delaySeconds: 30 });
    return;
  }
  try {
    await Promise.all(
      batch.messages.map(async (message) => {
        try {
          await deliver(connection.db, env, message.body);
          message.ack();
        } catch (error) {
          log("error", "webhook delivery failed to run", {
            delivery_id: message.body.delivery_id,
            ...describeError(error),
          });
          message.retry({ delaySeconds: 30 });
        }
      }),
    );
  } finally {
    await connection.close().catch(() => {});
  }
}

async function deliver(db: Database, env: DeliveryEnv, message: DeliveryMessage): Promise<void> {
  const found = await loadDelivery(db, message.delivery_id);
  // The endpoint was deleted, and its deliveries with it; or the row crosses modes and must not go.
  if (!found) return;
  const { delivery, endpoint, event } = found;
  if (delivery.status !== "pending" || delivery.attempts !== message.attempt) return; // stale copy
  const wait = Math.ceil((delivery.nextAttemptAt.getTime() - Date.now()) / 1000);
  if (wait > 0) {
    // Early: a wait longer than the queue allows arrives in legs.
    await env.WEBHOOK_DELIVERY.send(message, { delaySeconds: Math.min(wait, MAX_QUEUE_DELAY_SECONDS) });
    return;
  }
  if (endpoint.status !== "enabled") {
    await abandonDelivery(db, delivery.id, message.attempt);
    return;
  }

  const secrets = [await openWebhookSecret(env, endpoint.id, endpoint.secretCiphertext)];
  if (
    endpoint.previousSecretCiphertext &&
    endpoint.previousSecretExpiresAt &&
    endpoint.previousSecretExpiresAt.getTime() > Date.now()
  ) {
    secrets.push(await openWebhookSecret(env, endpoint.id, endpoint.previousSecretCiphertext));
  }
  // Rendered in the endpoint's API version: the handler sees the shape it was written for.
  const body = JSON.stringify(downgradeResponse(endpoint.apiVersion, eventPayload(event)));
  const timestamp = Math.floor(Date.now() / 1000);
  const started = Date.now();
  const { statusCode, retryAfter, excerpt, error } = await postWebhook(
    endpoint.url,
    {
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "edge-payment-gateway-webhooks/1",
        "webhook-id": event.id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": await signatureHeader(secrets, event.id, timestamp, body),
      },
      body,
    },
    { localReceivers: env.WEBHOOK_LOCAL_RECEIVERS === "on" },
  );
  const attempt = message.attempt + 1;
  const succeeded = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const gone = statusCode === 410;
  const schedule = retrySchedule(env.WEBHOOK_RETRY_SCHEDULE_SECONDS);
  const exhausted = attempt >= schedule.maxAttempts;
  const delay = retryDelaySeconds(schedule, attempt, statusCode, retryAfter);
  const outcome: AttemptOutcome = {
    statusCode,
    latencyMs: Date.now() - started,
    responseExcerpt: excerpt,
    error,
    status: succeeded ? "succeeded" : gone || exhausted ? "failed" : "pending",
    nextAttemptAt: new Date(Date.now() + delay * 1000),
  };
  // The next attempt is queued before this one is recorded: if recording fails, this message is
  // redelivered and the compare-and-set below lets exactly one copy count.
  if (outcome.status === "pending") {
    await env.WEBHOOK_DELIVERY.send(
      { delivery_id: delivery.id, attempt },
      { delaySeconds: Math.min(delay, MAX_QUEUE_DELAY_SECONDS) },
    );
  }
  const recorded = await recordAttempt(db, delivery.id, message.attempt, outcome);
  if (recorded && gone) {
    // 410 Gone: the receiver says the endpoint no longer exists. Stop sending to it.
    await updateEndpoint(db, endpoint, endpoint.id, { status: "disabled", disabledReason: "gone" });
  }
  log(succeeded ? "info" : "warn", "webhook attempt", {
    delivery_id: delivery.id,
    event_id: event.id,
    endpoint_id: endpoint.id,
    attempt,
    status_code: statusCode,
    outcome: outcome.status,
  });
}
