import { queueAudit } from "../audit/audit-log.js";
import { settlementCutEntry } from "../audit/settlement-audit.js";
import { connect } from "../db/database.js";
import { describeError, log } from "../logging/logger.js";
import { type ReportMessage, runReport } from "../reports/report-run.js";
import { enqueueUntriedDeliveries } from "../webhooks/delivery-queue.js";
import { type CutMessage, runCut } from "./settlement-runs.js";

const RETRY_DELAYS_SECONDS = [10, 30, 60, 300, 900];

/** The back office's batch work, one job per message: a settlement cut, or a report run. */
export type BatchMessage = CutMessage | ReportMessage;

/** One job; the events it recorded, for their deliveries. */
async function run(db: Parameters<typeof runCut>[0], env: Env, job: BatchMessage): Promise<string[]> {
  switch (job.kind) {
    case "cut": {
      const { settlement, eventIds } = await runCut(db, env.SETTLEMENTS_BUCKET, job);
      if (settlement) log("info", "settlement cut", { settlement: settlement.id, merchant_id: settlement.merchantId });
      if (settlement) await queueAudit(env, [await settlementCutEntry(settlement)]);
      return eventIds;
    }
    case "report":
      return runReport(db, env.REPORTS_BUCKET, job.report_id);
    default: {
      const unreachable: never = job;
      throw new Error(`unknown batch job ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * The `settlement-batch` consumer: each message is one job, idempotent (a cut finds its batch
 * made, a report finds itself ready), so a redelivered message does nothing more. A job that fails
 * (Postgres or R2 down, movements changing under a cut) is retried with backoff, then
 * dead-lettered for ops.
 */
export async function consumeSettlementBatch(batch: MessageBatch<BatchMessage>, env: Env): Promise<void> {
  let connection: Awaited<ReturnType<typeof connect>>;
  try {
    connection = await connect(env);
  } catch (error) {
    log("warn", "settlement-batch: database unreachable, batch retried", describeError(error));
    batch.retryAll({ delaySeconds: RETRY_DELAYS_SECONDS[0] });
    return;
  }
  try {
    for (const message of batch.messages) {
      try {
        await enqueueUntriedDeliveries(env, connection.db, await run(connection.db, env, message.body));
        message.ack();
      } catch (error) {
        log("error", "settlement-batch job failed", {
          job: message.body.kind,
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
