import { connect } from "../db/database.js";
import { log } from "../logging/logger.js";
import { dueCuts } from "./settlement-runs.js";

/**
 * The hourly Cron Trigger (`wrangler.toml` `[triggers] crons`): the batches whose business day
 * closed this hour go to the `settlement-batch` queue, one message each. Sending twice (a
 * retried cron) is harmless: each batch is cut once.
 */
export async function scheduleSettlements(env: Env, now: Date): Promise<number> {
  const connection = await connect(env);
  try {
    const messages = await dueCuts(connection.db, now);
    for (let at = 0; at < messages.length; at += 100) {
      await env.SETTLEMENT_BATCH.sendBatch(messages.slice(at, at + 100).map((body) => ({ body, contentType: "json" })));
    }
    if (messages.length > 0) log("info", "settlements scheduled", { batches: messages.length });
    return messages.length;
  } finally {
    await connection.close().catch(() => {});
  }
}
