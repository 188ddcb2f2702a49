import { connect, type Database } from "../db/database.js";
import { eventPayload } from "../events/events.view.js";
import { describeError, log } from "../logging/logger.js";
import { downgradeResponse } from "../versions/transform.js";
import { MAX_QUEUE_DELAY_SECONDS, retryDelaySeconds, retrySchedule } from "./retry-schedule.js";
import {
  type AttemptOutcome,
  abandonDelivery,
  type DeliveryMessage,
  type LoadedDelivery,
  loadDeliveries,
  type MadeAttempt,
  recordAttempts,
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
 * queue's; waits longer than a queue delay are chained. The batch's rows are read in one query,
 * its messages are posted in parallel (one slow endpoint, up to 15 s, must not hold up the
 * others), and their attempts are recorded in one statement (one by one if it fails, so one bad
 * row does not hold back the rest): a query or two per message was the consumer's cost at load
 * (issue 17). Each attempt still counts by its own compare-and-set, so a row read at the batch's
 * start never counts twice.
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
    const db = connection.db;
    let loaded: Map<string, LoadedDelivery>;
    try {
      loaded = await loadDeliveries(
        db,
        batch.messages.map((message) => message.body.delivery_id),
      );
    } catch (error) {
      log("warn", "webhook delivery: batch could not be loaded, retried", describeError(error));
      batch.retryAll({ delaySeconds: 30 });
      return;
    }
    const secrets = new Map<string, Promise<string>>();
    const open = (endpointId: string, ciphertext: string) => {
      const key = `${endpointId}.${ciphertext}`;
      const opened = secrets.get(key) ?? openWebhookSecret(env, endpointId, ciphertext);
      secrets.set(key, opened);
      return opened;
    };
    const retry = (message: Message<DeliveryMessage>, error: unknown) => {
      log("error", "webhook delivery failed to run", {
        delivery_id: message.body.delivery_id,
        ...describeError(error),
      });
      message.retry({ delaySeconds: 30 });
    };
    // A second copy of the same attempt in one batch is acknowledged at once: the first copy
    // posts (or is retried on its own), so the receiver is not sent the same attempt twice.
    const first = new Set<string>();
    const made: { message: Message<DeliveryMessage>; made: Attempt }[] = [];
    await Promise.all(
      batch.messages.map(async (message) => {
        const key = `${message.body.delivery_id}:${message.body.attempt}`;
        if (first.has(key)) {
          message.ack();
          return;
        }
        first.add(key);
        try {
          const attempt = await deliver(db, env, message.body, loaded.get(message.body.delivery_id), open);
          if (attempt) made.push({ message, made: attempt });
          else message.ack();
        } catch (error) {
          retry(message, error);
        }
      }),
    );
    if (made.length === 0) return;
    let recorded: Set<string> | undefined;
    try {
      recorded = await recordAttempts(
        db,
        made.map((entry) => entry.made),
      );
    } catch {
      // One at a time below: one attempt that cannot be written must not hold back the others.
    }
    for (const { message, made: attempt } of made) {
      try {
        const counted = recorded ?? (await recordAttempts(db, [attempt]));
        await afterAttempt(db, attempt, counted.has(attempt.deliveryId));
        message.ack();
      } catch (error) {
        // The message comes back: if its attempt did not count, it posts again and one copy counts.
        retry(message, error);
      }
    }
  } finally {
    await connection.close().catch(() => {});
  }
}

/** An attempt made, to be recorded: what `recordAttempts` takes, and what follows from it. */
interface Attempt extends MadeAttempt {
  endpoint: LoadedDelivery["endpoint"];
  eventId: string;
}

/**
 * Works one message: nothing for a stale copy or a vanished delivery, a new leg for one not yet
 * due, or the signed POST, with the next attempt queued when this one did not succeed. Returns
 * the attempt made, for the batch to record.
 */
async function deliver(
  db: Database,
  env: DeliveryEnv,
  message: DeliveryMessage,
  found: LoadedDelivery | undefined,
  open: (endpointId: string, ciphertext: string) => Promise<string>,
): Promise<Attempt | undefined> {
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

  const secrets = [await open(endpoint.id, endpoint.secretCiphertext)];
  if (
    endpoint.previousSecretCiphertext &&
    endpoint.previousSecretExpiresAt &&
    endpoint.previousSecretExpiresAt.getTime() > Date.now()
  ) {
    secrets.push(await open(endpoint.id, endpoint.previousSecretCiphertext));
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
  // redelivered and the compare-and-set lets exactly one copy count.
  if (outcome.status === "pending") {
    await env.WEBHOOK_DELIVERY.send(
      { delivery_id: delivery.id, attempt },
      { delaySeconds: Math.min(delay, MAX_QUEUE_DELAY_SECONDS) },
    );
  }
  return { deliveryId: delivery.id, attempt: message.attempt, outcome, endpoint, eventId: event.id };
}

/** Once recorded: a 410 that counted disables its endpoint; every attempt is logged. */
async function afterAttempt(db: Database, attempt: Attempt, recorded: boolean): Promise<void> {
  const { endpoint, outcome } = attempt;
  if (recorded && outcome.statusCode === 410) {
    // 410 Gone: the receiver says the endpoint no longer exists. Stop sending to it.
    await updateEndpoint(db, endpoint, endpoint.id, { status: "disabled", disabledReason: "gone" });
  }
  const succeeded = outcome.status === "succeeded";
  log(succeeded ? "info" : "warn", "webhook attempt", {
    delivery_id: attempt.deliveryId,
    event_id: attempt.eventId,
    endpoint_id: endpoint.id,
    attempt: attempt.attempt + 1,
    status_code: outcome.statusCode,
    outcome: outcome.status,
  });
}
