import { connect } from "../../workers/db/database.js";
import type { EventType } from "../../workers/events/event-types.js";
import { recordEvents } from "../../workers/events/events.repository.js";
import { enqueueUntriedDeliveries } from "../../workers/webhooks/delivery-queue.js";
import { type CheckoutSessionRecord, checkoutSessionView } from "./checkout-session-record.js";

/** A session event waiting in the object's outbox until Postgres has it. */
export interface PendingEvent {
  type: Extract<EventType, "checkout.session.completed" | "checkout.session.expired">;
  version: number;
  data: ReturnType<typeof checkoutSessionView>;
  created_at: number;
}

/** The event of a session's one transition, with the session as it is after it. */
export function sessionEvent(session: CheckoutSessionRecord): PendingEvent {
  if (session.status === "open") throw new Error("an open session has no event");
  return {
    type: session.status === "complete" ? "checkout.session.completed" : "checkout.session.expired",
    version: session.version,
    data: checkoutSessionView(session),
    created_at: Date.now(),
  };
}

/**
 * Records the outbox's events as every other event is (DESIGN invariant 5): stored once (unique
 * on object, version and type, so a repeat after a lost answer adds nothing), a delivery opened
 * for each subscribed endpoint of the session's mode, then queued. Throws when Postgres cannot
 * answer: the outbox keeps the events and the alarm tries again.
 */
export async function publishEvents(env: Env, session: CheckoutSessionRecord, pending: PendingEvent[]): Promise<void> {
  const connection = await connect(env);
  try {
    const ids = await connection.db.transaction((tx) =>
      recordEvents(
        tx,
        pending.map((event) => ({
          type: event.type,
          merchantId: session.merchant_id,
          livemode: session.livemode,
          objectId: session.id,
          objectVersion: event.version,
          data: event.data,
          createdAt: new Date(event.created_at),
        })),
      ),
    );
    await enqueueUntriedDeliveries(env, connection.db, ids);
  } finally {
    await connection.close();
  }
}
