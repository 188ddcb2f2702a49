import type { DisputeRow } from "./disputes.repository.js";

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** The API's `dispute`. */
export function disputeView(row: DisputeRow) {
  return {
    id: row.id,
    object: "dispute" as const,
    livemode: row.livemode,
    payment: row.paymentId,
    amount: row.amount,
    currency: row.currency.toLowerCase(),
    reason: row.reason,
    status: row.status,
    evidence: row.evidence
      ? { text: row.evidence, submitted: seconds(row.evidenceSubmittedAt ?? row.updatedAt) }
      : null,
    network_reference: row.networkReference,
    created: seconds(row.createdAt),
    updated: seconds(row.updatedAt),
    version: row.version,
  };
}
