import { and, desc, eq, sql } from "drizzle-orm";
import { newId } from "../../common/ids.js";
import type { Owner } from "../../common/owner.js";
import { disputes } from "../../db/schema/index.js";
import { afterCursor } from "../db/cursor.js";
import type { Database } from "../db/database.js";
import { recordEvents } from "../events/events.repository.js";
import { type DisputedTransaction, matchChargeback } from "./chargeback-match.js";
import { recordDisputeMovement } from "./dispute-movements.js";
import { disputeView } from "./disputes.view.js";

export type DisputeRow = typeof disputes.$inferSelect;

/** Whose disputes: one merchant's, in one mode (DESIGN invariant 6: the other mode's are not found). */
const ownedBy = (owner: Owner) => and(eq(disputes.merchantId, owner.merchantId), eq(disputes.livemode, owner.livemode));

export interface NetworkChargeback extends DisputedTransaction {
  /** The acquirer's id for the chargeback. */
  network_reference: string;
  /** The disputed amount (at most the transaction's). */
  amount: number;
  currency: string;
  reason: string;
}

/**
 * Records a chargeback the network raised: the dispute (`needs_response`) against the one payment
 * the advice names (`matchChargeback`), in that payment's mode, and its `dispute.created` event
 * with deliveries, in one transaction. A notification delivered twice finds the same dispute
 * (unique network reference) and the same event. No match, or more than one, records nothing and
 * says which.
 */
export async function recordChargeback(db: Database, chargeback: NetworkChargeback) {
  return db.transaction(async (tx) => {
    const match = await matchChargeback(tx, chargeback);
    if (match.kind !== "matched") return match;
    const { payment } = match;
    await tx
      .insert(disputes)
      .values({
        id: newId("dispute"),
        merchantId: payment.merchantId,
        paymentId: payment.id,
        livemode: payment.livemode,
        processor: chargeback.processor,
        networkReference: chargeback.network_reference,
        amount: chargeback.amount,
        currency: chargeback.currency.toUpperCase(),
        reason: chargeback.reason,
      })
      .onConflictDoNothing({ target: [disputes.processor, disputes.networkReference] });
    const [dispute] = await tx
      .select()
      .from(disputes)
      .where(
        and(eq(disputes.processor, chargeback.processor), eq(disputes.networkReference, chargeback.network_reference)),
      );
    // The disputed amount leaves the merchant's balance when the network opens the chargeback;
    // won back, a dispute reversal returns it (dispute-outcome.ts). Once, as the dispute is once.
    await recordDisputeMovement(tx, dispute!, "dispute", dispute!.createdAt);
    const eventIds = await recordEvents(tx, [
      {
        type: "dispute.created",
        merchantId: dispute!.merchantId,
        livemode: dispute!.livemode,
        objectId: dispute!.id,
        objectVersion: 1,
        data: disputeView({ ...dispute!, status: "needs_response", evidence: null, version: 1 }),
        createdAt: dispute!.createdAt,
      },
    ]);
    return { kind: "recorded" as const, dispute: dispute!, eventIds };
  });
}

/** The merchant's text evidence: `needs_response` -> `under_review`, version + 1, `dispute.updated`. */
export async function submitEvidence(db: Database, owner: Owner, id: string, text: string) {
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(disputes)
      .set({
        evidence: text,
        evidenceSubmittedAt: new Date(),
        status: "under_review",
        version: sql`${disputes.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(disputes.id, id), ownedBy(owner), eq(disputes.status, "needs_response")))
      .returning();
    if (!updated) return null;
    const eventIds = await recordEvents(tx, [
      {
        type: "dispute.updated",
        merchantId: updated.merchantId,
        livemode: updated.livemode,
        objectId: updated.id,
        objectVersion: updated.version,
        data: disputeView(updated),
        createdAt: updated.updatedAt,
      },
    ]);
    return { dispute: updated, eventIds };
  });
}

export async function findDispute(db: Database, owner: Owner, id: string): Promise<DisputeRow | undefined> {
  const [row] = await db
    .select()
    .from(disputes)
    .where(and(eq(disputes.id, id), ownedBy(owner)))
    .limit(1);
  return row;
}

export async function listDisputes(db: Database, owner: Owner, limit: number, startingAfter?: string) {
  return db
    .select()
    .from(disputes)
    .where(
      and(
        ownedBy(owner),
        afterCursor(disputes, disputes, startingAfter, [
          [disputes.merchantId, owner.merchantId],
          [disputes.livemode, owner.livemode],
        ]),
      ),
    )
    .orderBy(desc(disputes.createdAt), desc(disputes.id))
    .limit(limit + 1);
}
