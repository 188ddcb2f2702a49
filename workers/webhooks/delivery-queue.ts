import type { Database } from "../db/database.js";
import { type DeliveryMessage, untriedDeliveries } from "./webhook-deliveries.repository.js";

/** Puts deliveries on the `webhook-delivery` queue (nothing to send: no call). */
export async function enqueueDeliveries(env: Pick<Env, "WEBHOOK_DELIVERY">, messages: DeliveryMessage[]) {
  if (messages.length > 0) await env.WEBHOOK_DELIVERY.sendBatch(messages.map((body) => ({ body })));
}

/**
 * After the commit that opened deliveries for these events: queues the ones not yet tried. A
 * redelivered message finds them still untried and queues them again; the delivery consumer lets
 * only one copy of each attempt count.
 */
export async function enqueueUntriedDeliveries(env: Pick<Env, "WEBHOOK_DELIVERY">, db: Database, eventIds: string[]) {
  await enqueueDeliveries(env, await untriedDeliveries(db, eventIds));
}
