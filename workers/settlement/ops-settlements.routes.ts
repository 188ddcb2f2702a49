import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../errors/api-error.js";
import { opsAuth } from "../middleware/ops-auth/index.js";
import { readJsonBody } from "../validation/request-body.js";
import { enqueueUntriedDeliveries } from "../webhooks/delivery-queue.js";
import { cutSettlementsSchema } from "./settlement.schemas.js";
import { SettlementDrift, settlementView } from "./settlement-cut.js";
import { cutsFor, runCut } from "./settlement-runs.js";

/**
 * `POST /v1/ops/settlements/cut` (ops, `settlements:write`): cuts now what the Cron Trigger would
 * cut at the cut-off, for one merchant or all: the given business day (today's by default, its
 * movements until now). Run in the request, so the answer lists the batches made; cutting again
 * returns the same batches.
 */
export const opsSettlementRoutes = new Hono<AppEnv>().post("/cut", opsAuth("settlements:write"), async (c) => {
  const body = await readJsonBody(c, cutSettlementsSchema);
  const now = new Date();
  if (body.day !== undefined && body.day > now.toISOString().slice(0, 10)) {
    throw new ApiError("parameter_invalid", { param: "day", message: "A day yet to come cannot be cut." });
  }
  const db = await c.var.db();
  const messages = await cutsFor(db, now, {
    ...(body.day ? { day: body.day } : {}),
    ...(body.merchant ? { merchant: body.merchant } : {}),
    ...(body.livemode === undefined ? {} : { livemode: body.livemode }),
  });
  const made = [];
  let finished = false;
  try {
    for (const message of messages) {
      const { settlement, eventIds } = await runCut(db, c.env.SETTLEMENTS_BUCKET, message).catch((error) => {
        if (error instanceof SettlementDrift) throw new ApiError("settlement_busy", { cause: error });
        throw error;
      });
      await enqueueUntriedDeliveries(c.env, db, eventIds);
      if (settlement) made.push({ merchant: settlement.merchantId, ...settlementView(settlement) });
    }
    finished = true;
  } finally {
    // Batches cut before one failed stand: the trail names them whether or not the rest followed.
    if (finished || made.length > 0) {
      await recordAudit(c, "settlements.cut", body.merchant ?? "all", { day: body.day ?? null, batches: made.length });
    }
  }
  return c.json({ object: "list", data: made });
});
