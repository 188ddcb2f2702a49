import type { balanceTransactions } from "../../db/schema/balance-transactions.js";

/** The API's `balance_transaction` object (Stripe's shape, this gateway's sources). */
export function balanceTransactionView(row: typeof balanceTransactions.$inferSelect) {
  return {
    id: row.id,
    object: "balance_transaction" as const,
    livemode: row.livemode,
    type: row.type,
    amount: row.amount,
    fee: row.fee,
    net: row.net,
    currency: row.currency.toLowerCase(),
    status: row.status,
    source: row.sourceId,
    payment: row.paymentId,
    processor: row.processor,
    available_on: row.availableOn,
    settlement: row.settlementId,
    created: Math.floor(row.createdAt.getTime() / 1000),
  };
}
