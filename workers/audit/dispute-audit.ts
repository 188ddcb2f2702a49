import type { DisputeRow } from "../disputes/disputes.repository.js";
import type { AuditEntry } from "./audit-entry.js";
import { derivedAuditId } from "./audit-log.js";

/**
 * A dispute the card network opened or decided, as the acquirer's advice (relayed by the vault's
 * connector service) told it: the processor is the actor (PCI DSS 10.2.2), and the entry's id
 * derives from the dispute and the action, so the acquirer's retries of one advice chain it once.
 */
export async function disputeAuditEntry(
  dispute: DisputeRow,
  action: "dispute.opened" | "dispute.closed",
  requestId: string,
): Promise<AuditEntry> {
  return {
    id: await derivedAuditId(`${action}:${dispute.id}`),
    at: new Date().toISOString(),
    action,
    target_id: dispute.id,
    actor: { kind: "processor", id: dispute.processor, merchant_id: dispute.merchantId },
    request_id: requestId,
    details: {
      livemode: dispute.livemode,
      payment_id: dispute.paymentId,
      network_reference: dispute.networkReference,
      amount: dispute.amount,
      currency: dispute.currency,
      status: dispute.status,
    },
  };
}
