import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { log } from "../logging/logger.js";
import { readJsonBody } from "../validation/request-body.js";
import { enqueueUntriedDeliveries } from "../webhooks/delivery-queue.js";
import { recordChargeback } from "./disputes.repository.js";
import { disputeView } from "./disputes.view.js";
import { chargebackSchema } from "./network-disputes.schemas.js";
import { verifyVaultToken } from "./vault-service-token.js";

/**
 * `POST /internal/v1/disputes`: the vault's connector service hands over a chargeback a card
 * network raised, with a service token only the vault can sign. Idempotent: the same chargeback
 * again answers with the same dispute. 404 when no captured payment matches the advice (mode,
 * network, RRN, amount, date), 409 when more than one does: never a guess across merchants or modes.
 */
export const networkDisputeRoutes = new Hono<AppEnv>().post("/", async (c) => {
  const token = /^Bearer (.+)$/.exec(c.req.header("Authorization") ?? "")?.[1];
  if (!token || !(await verifyVaultToken(c.env, token))) throw new ApiError("service_token_invalid");
  const body = await readJsonBody(c, chargebackSchema);
  const db = await c.var.db();
  const recorded = await recordChargeback(db, body);
  if (recorded.kind !== "recorded") {
    const fields = {
      network_reference: body.network_reference,
      processor: body.processor,
      livemode: body.livemode,
      rrn: body.rrn,
    };
    if (recorded.kind === "none") {
      log("warn", "chargeback matches no payment", fields);
      throw new ApiError("resource_missing", { param: "rrn", message: "No captured payment matches this advice." });
    }
    log("error", "chargeback matches more than one payment", { ...fields, payments: recorded.paymentIds });
    throw new ApiError("chargeback_ambiguous", { param: "rrn" });
  }
  await enqueueUntriedDeliveries(c.env, db, recorded.eventIds);
  return c.json(disputeView(recorded.dispute));
});
