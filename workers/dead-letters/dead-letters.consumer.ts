import type { QueueRole } from "../queues/queue-router.js";

/** A message its consumer gave up on, as parked in R2 until ops replay it. */
export interface DeadLetter {
  id: string;
  role: QueueRole;
  attempts: number;
  first_seen: string;
  parked_at: string;
  body: unknown;
}

export const deadLetterKey = (role: QueueRole, id: string) => `dead-letters/${role}/${id}.json`;

/**
 * The consumer of every `<role>-dlq` queue: parks each message in R2 (keyed by message id, so a
 * redelivery overwrites rather than duplicates) and acknowledges it only once stored. A message
 * that exhausted its retries (Postgres down for hours, say) is therefore kept, visible and
 * replayable, however long the outage lasted.
 */
export async function parkDeadLetters(batch: MessageBatch, env: Env, role: QueueRole): Promise<void> {
  for (const message of batch.messages) {
    const letter: DeadLetter = {
      id: message.id,
      role,
      attempts: message.attempts,
      first_seen: message.timestamp.toISOString(),
      parked_at: new Date().toISOString(),
      body: message.body,
    };
    await env.DEAD_LETTER_BUCKET.put(deadLetterKey(role, message.id), JSON.stringify(letter), {
      httpMetadata: { contentType: "application/json" },
    });
    message.ack();
  }
}
