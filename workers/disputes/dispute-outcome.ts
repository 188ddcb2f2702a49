import { and, eq, inArray, sql } from "drizzle-orm";
import { type DisputeOutcome, type DisputeStatus, disputes } from "../../db/schema/disputes.js";
import type { Database } from "../db/database.js";
import { recordEvents } from "../events/events.repository.js";
import { recordDisputeMovement } from "./dispute-movements.js";
import type { DisputeRow } from "./disputes.repository.js";
import { disputeView } from "./disputes.view.js";

/** Statuses a network decision can still close. */
const OPEN_STATUSES = ["needs_response", "under_review"] as const satisfies readonly DisputeStatus[];

/** The network's decision on one chargeback, named as the chargeback was: processor and its own id. */
export interface NetworkOutcome {
  processor: string;
  livemode: boolean;
  network_reference: string;
  outcome: DisputeOutcome;
}

export type OutcomeAnswer =
  | { kind: "closed"; dispute: DisputeRow; eventIds: string[] }
  | { kind: "none" }
  | { kind: "conflict"; dispute: DisputeRow };

/** `dispute.closed` (Stripe's name) for the dispute as it was closed: the same event however often it is recorded. */
function closedEvent(dispute: DisputeRow) {
  return {
    type: "dispute.closed" as const,
    merchantId: dispute.merchantId,
    livemode: dispute.livemode,
    objectId: dispute.id,
    objectVersion: dispute.version,
    data: disputeView(dispute),
    createdAt: dispute.updatedAt,
  };
}

/**
 * Closes a dispute with the network's decision, once: an open dispute (needing a response or under
 * review: the issuer can decide without the merchant's evidence) moves to `won` or `lost`, version
 * + 1, with its `dispute.closed` event and, when won, the `dispute_reversal` that returns the
 * disputed amount, all in one transaction. The same decision again (the acquirer retries until it
 * hears 2xx) finds it closed and answers the same, recording nothing new; the other decision is a
 * conflict, and changes nothing: a network does not decide a case twice, so one that seems to is
 * for ops to look at, never for the merchant's balance to follow. A reference the processor never
 * opened in that mode is `none` (the chargeback may not have reached us yet: the acquirer retries).
 */
export async function closeDispute(db: Database, decision: NetworkOutcome): Promise<OutcomeAnswer> {
  return db.transaction(async (tx) => {
    const named = and(
      eq(disputes.processor, decision.processor),
      eq(disputes.networkReference, decision.network_reference),
      eq(disputes.livemode, decision.livemode),
    );
    const now = new Date();
    const [closed] = await tx
      .update(disputes)
      .set({ status: decision.outcome, version: sql`${disputes.version} + 1`, updatedAt: now })
      .where(and(named, inArray(disputes.status, [...OPEN_STATUSES])))
      .returning();
    if (closed) {
      if (closed.status === "won") await recordDisputeMovement(tx, closed, "dispute_reversal", now);
      return { kind: "closed", dispute: closed, eventIds: await recordEvents(tx, [closedEvent(closed)]) };
    }
    const [found] = await tx.select().from(disputes).where(named);
    if (!found) return { kind: "none" };
    if (found.status !== decision.outcome) return { kind: "conflict", dispute: found };
    // Closed before with this decision: the stored event again (its deliveries too, if a crash
    // after the commit left them unsent), nothing new.
    return { kind: "closed", dispute: found, eventIds: await recordEvents(tx, [closedEvent(found)]) };
  });
}
