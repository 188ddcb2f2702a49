import type { settlements } from "../../db/schema/settlements.js";
import type { AuditEntry } from "./audit-entry.js";
import { systemAuditEntry } from "./audit-log.js";

/**
 * A batch the hourly Cron Trigger cut (through the settlement-batch queue): the gateway's own
 * act, with the totals it moved to paid and the file's digest. A cut ops ask for is recorded by
 * their route, naming the ops client (`settlements.cut`).
 */
export function settlementCutEntry(settlement: typeof settlements.$inferSelect): Promise<AuditEntry> {
  return systemAuditEntry(
    "settlement_cron",
    "settlement.cut",
    { id: settlement.id, merchantId: settlement.merchantId },
    {
      livemode: settlement.livemode,
      currency: settlement.currency,
      day: settlement.day,
      transactions: settlement.transactionCount,
      amount: settlement.amount,
      fee: settlement.fee,
      net: settlement.net,
      file_sha256: settlement.fileSha256,
    },
  );
}
