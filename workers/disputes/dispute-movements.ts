import type { Database } from "../db/database.js";
import { availableOn } from "../settlement/balance-entries.js";
import { merchantTerms, recordBalanceEntries } from "../settlement/balance-transactions.repository.js";
import type { DisputeRow } from "./disputes.repository.js";

type Writer = Pick<Database, "insert" | "select">;

/**
 * What a dispute does to the merchant's balance, Stripe's rule: the disputed amount leaves it when
 * the network opens the chargeback (`dispute`, -amount), and comes back only if the merchant wins
 * (`dispute_reversal`, +amount). No fee either way: the network's dispute fee is not modelled, and
 * a won dispute returns exactly what was taken. Written in the caller's transaction, once per type
 * and dispute (the unique (type, source) index), however often the network's advice comes.
 */
export async function recordDisputeMovement(
  tx: Writer,
  dispute: DisputeRow,
  type: "dispute" | "dispute_reversal",
  at: Date,
): Promise<void> {
  const terms = (await merchantTerms(tx, [dispute.merchantId])).get(dispute.merchantId);
  if (!terms) return;
  const amount = type === "dispute" ? -dispute.amount : dispute.amount;
  await recordBalanceEntries(tx, [
    {
      type,
      merchantId: dispute.merchantId,
      livemode: dispute.livemode,
      currency: dispute.currency,
      amount,
      fee: 0,
      net: amount,
      processor: dispute.processor,
      sourceId: dispute.id,
      paymentId: dispute.paymentId,
      createdAt: at,
      availableOn: availableOn(at, terms.delayDays),
    },
  ]);
}
