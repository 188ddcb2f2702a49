import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../errors/api-error.js";
import { opsAuth } from "../middleware/ops-auth/index.js";
import { parseQueueName, type QueueRole } from "../queues/queue-router.js";
import type { DeadLetter } from "./dead-letters.consumer.js";

const PAGE = 100;

function role(name: string): QueueRole {
  try {
    const parsed = parseQueueName(name);
    if (!parsed.deadLetter) return parsed.role;
  } catch {
    // fall through
  }
  throw new ApiError("resource_missing", { param: "queue", message: `No such queue: '${name}'.` });
}

function producer(env: Env, queue: QueueRole): Queue {
  switch (queue) {
    case "payment-events":
      return env.PAYMENT_EVENTS;
    case "webhook-delivery":
      return env.WEBHOOK_DELIVERY;
    case "settlement-batch":
      return env.SETTLEMENT_BATCH;
    case "audit-log":
      return env.AUDIT_LOG;
    default: {
      const unreachable: never = queue;
      throw new Error(`no producer for ${String(unreachable)}`);
    }
  }
}

/**
 * Ops view of parked dead letters, and their replay onto the queue they came from (the
 * consumers are idempotent, so a replay is safe). Each replayed letter is deleted only after
 * it was sent. Mounted at `/v1/ops/dead_letters`.
 */
export const deadLetterRoutes = new Hono<AppEnv>()
  .get("/:queue", opsAuth("dead_letters:read"), async (c) => {
    const queue = role(c.req.param("queue"));
    const listed = await c.env.DEAD_LETTER_BUCKET.list({ prefix: `dead-letters/${queue}/`, limit: PAGE });
    return c.json({
      object: "list",
      queue,
      has_more: listed.truncated,
      data: listed.objects.map((object) => ({ key: object.key, size: object.size, uploaded: object.uploaded })),
    });
  })
  .post("/:queue/replay", opsAuth("dead_letters:write"), async (c) => {
    const queue = role(c.req.param("queue"));
    const listed = await c.env.DEAD_LETTER_BUCKET.list({ prefix: `dead-letters/${queue}/`, limit: PAGE });
    let replayed = 0;
    for (const object of listed.objects) {
      const stored = await c.env.DEAD_LETTER_BUCKET.get(object.key);
      if (!stored) continue;
      const letter = (await stored.json()) as DeadLetter;
      await producer(c.env, queue).send(letter.body, { contentType: "json" });
      await c.env.DEAD_LETTER_BUCKET.delete(object.key);
      replayed += 1;
    }
    await recordAudit(c, "dead_letters.replayed", queue, { replayed });
    return c.json({ queue, replayed, has_more: listed.truncated });
  });
