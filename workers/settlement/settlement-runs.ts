import { sql } from "drizzle-orm";
import type { SettlementConfig } from "../../db/schema/merchants.js";
import type { Database } from "../db/database.js";
import { type Cut, type CutKey, cutSettlement, SettlementDrift } from "./settlement-cut.js";
import { businessDay, cutBoundary, cutOffOf, dayClosedAt } from "./settlement-schedule.js";

/** A batch to cut, as the `settlement-batch` queue carries it. */
export interface CutMessage {
  kind: "cut";
  merchant_id: string;
  livemode: boolean;
  currency: string;
  day: string;
  /** ISO 8601: movements before it are in the batch. */
  boundary: string;
  delay_days: number;
}

type Pending = {
  merchant_id: string;
  livemode: boolean;
  currency: string;
  settlement_config: SettlementConfig;
};

/** Who has movements waiting, per merchant, mode and currency (one merchant or mode when asked). */
async function pendingKeys(db: Database, only: { merchant?: string; livemode?: boolean }): Promise<Pending[]> {
  const result = await db.execute<Pending>(sql`
    select bt.merchant_id, bt.livemode, bt.currency, m.settlement_config
    from balance_transactions bt join merchants m on m.id = bt.merchant_id
    where bt.status = 'pending'
      ${only.merchant === undefined ? sql`` : sql`and bt.merchant_id = ${only.merchant}`}
      ${only.livemode === undefined ? sql`` : sql`and bt.livemode = ${only.livemode}`}
    group by bt.merchant_id, bt.livemode, bt.currency, m.settlement_config`);
  return result.rows;
}

function messageFor(pending: Pending, day: string, boundary: Date): CutMessage {
  return {
    kind: "cut",
    merchant_id: pending.merchant_id,
    livemode: pending.livemode,
    currency: pending.currency,
    day,
    boundary: boundary.toISOString(),
    delay_days: pending.settlement_config.delay_days ?? 0,
  };
}

/**
 * The hourly Cron Trigger's work: for every merchant whose cut-off is this hour and who has
 * movements waiting, a batch of the business day that just closed, per mode and currency, sent
 * through the `settlement-batch` queue (one message per batch: a batch that fails is retried on
 * its own). Returns the messages sent.
 */
export async function dueCuts(db: Database, now: Date): Promise<CutMessage[]> {
  const messages: CutMessage[] = [];
  for (const pending of await pendingKeys(db, {})) {
    const cutOff = cutOffOf(pending.settlement_config);
    const day = dayClosedAt(now, cutOff);
    if (day !== null) messages.push(messageFor(pending, day, cutBoundary(day, now, cutOff)));
  }
  return messages;
}

/**
 * Ops' cut, now: the given business day (today's by default, cut until now) for one merchant or
 * all, one mode or both. A day yet to come cannot be cut.
 */
export async function cutsFor(
  db: Database,
  now: Date,
  only: { day?: string; merchant?: string; livemode?: boolean },
): Promise<CutMessage[]> {
  return (await pendingKeys(db, only)).map((pending) => {
    const cutOff = cutOffOf(pending.settlement_config);
    const day = only.day ?? businessDay(now, cutOff);
    return messageFor(pending, day, cutBoundary(day, now, cutOff));
  });
}

/**
 * How often a cut whose movements moved under it is run again at once. A drift is a movement
 * projected between the cut's read and its move (the payment-events consumer writes a capture
 * dated before the boundary a moment after it happened): the next run lists it, so a drift
 * rarely outlives one rerun. One that does is left to the caller: the queue retries the message
 * later, the ops route answers 409 `settlement_busy`.
 */
const DRIFT_RUNS = 3;

/** One batch, as the queue's consumer and the ops route run it. */
export async function runCut(db: Database, bucket: R2Bucket, message: CutMessage): Promise<Cut> {
  const key: CutKey = {
    merchantId: message.merchant_id,
    livemode: message.livemode,
    currency: message.currency,
    day: message.day,
  };
  for (let run = 1; ; run++) {
    try {
      return await cutSettlement(db, bucket, key, new Date(message.boundary), message.delay_days);
    } catch (error) {
      if (!(error instanceof SettlementDrift) || run >= DRIFT_RUNS) throw error;
    }
  }
}
