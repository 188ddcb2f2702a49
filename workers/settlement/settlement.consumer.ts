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

type Db = Parameters<typeof runCut>[0];

/** One job; the events it recorded, for their deliveries. */
async function run(db: Db, env: Env, job: BatchMessage): Promise<string[]> {
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
 * Jobs of one batch run this many at a time, each on a connection of its own: a cut spends most
 * of its time in Postgres (reading its page, moving its movements), so while one waits another
 * writes its files. Kept under the six connections a Worker invocation may hold open at once.
 */
const CONCURRENT_JOBS = 4;

/** One message's job: acked when done, retried with backoff when it failed. */
async function settle(db: Db, env: Env, message: Message<BatchMessage>): Promise<void> {
  try {
    await enqueueUntriedDeliveries(env, db, await run(db, env, message.body));
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

/**
 * The `settlement-batch` consumer: each message is one job, idempotent (a cut finds its batch
 * made, a report finds itself ready), so a redelivered message does nothing more. Jobs run
 * `CONCURRENT_JOBS` at a time, each taking the next message when it is done. A job that fails
 * (Postgres or R2 down, movements changing under a cut) is retried with backoff, then
 * dead-lettered for ops; with no database connection at all, the whole batch is retried.
 */
export async function consumeSettlementBatch(batch: MessageBatch<BatchMessage>, env: Env): Promise<void> {
  const lanes = Math.min(CONCURRENT_JOBS, batch.messages.length);
  const opened = await Promise.allSettled(Array.from({ length: lanes }, () => connect(env)));
  const connections = opened.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  if (connections.length === 0) {
    const refused = opened.find((result): result is PromiseRejectedResult => result.status === "rejected");
    log("warn", "settlement-batch: database unreachable, batch retried", describeError(refused?.reason));
    batch.retryAll({ delaySeconds: RETRY_DELAYS_SECONDS[0] });
    return;
  }
  // One iterator shared by the lanes: each message is taken by exactly one of them.
  const messages = batch.messages.values();
  try {
    await Promise.all(
      connections.map(async ({ db }) => {
        for (const message of messages) await settle(db, env, message);
      }),
    );
  } finally {
    await Promise.all(connections.map((connection) => connection.close().catch(() => {})));
  }
}
