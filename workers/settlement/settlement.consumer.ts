import { connect } from "../db/database.js";
import { describeError, log } from "../logging/logger.js";
import { enqueueUntriedDeliveries } from "../webhooks/delivery-queue.js";
import { type CutMessage, runCut } from "./settlement-runs.js";

const RETRY_DELAYS_SECONDS = [10, 30, 60, 300, 900];

/**
 * The `settlement-batch` consumer: each message cuts one batch (settlement-cut.ts), idempotent, so
 * a redelivered message finds its batch made and does nothing more. A cut that fails (Postgres or
 * R2 down, movements changing under it) is retried with backoff, then dead-lettered for ops.
 */
export async function consumeSettlementBatch(batch: MessageBatch<CutMessage>, env: Env): Promise<void> {
  let connection: Awaited<ReturnType<typeof connect>>;
  try {
    connection = await connect(env);
  } catch (error) {
    log("warn", "settlement: database unreachable, batch retried", describeError(error));
    batch.retryAll({ delaySeconds: RETRY_DELAYS_SECONDS[0] });
    return;
  }
  try {
    for (const message of batch.messages) {
      try {
        const { settlement, eventIds } = await runCut(connection.db, env.SETTLEMENTS_BUCKET, message.body);
        if (settlement)
          log("info", "settlement cut", { settlement: settlement.id, merchant_id: settlement.merchantId });
        await enqueueUntriedDeliveries(env, connection.db, eventIds);
        message.ack();
      } catch (error) {
        log("error", "settlement cut failed", {
          merchant_id: message.body.merchant_id,
          day: message.body.day,
          attempts: message.attempts,
          ...describeError(error),
        });
        const delay = RETRY_DELAYS_SECONDS[Math.min(message.attempts - 1, RETRY_DELAYS_SECONDS.length - 1)];
        message.retry({ delaySeconds: delay ?? 900 });
      }
    }
  } finally {
    await connection.close().catch(() => {});
  }
}
