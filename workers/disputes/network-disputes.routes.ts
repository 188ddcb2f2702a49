import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { queueAudit } from "../audit/audit-log.js";
import { disputeAuditEntry } from "../audit/dispute-audit.js";
import { ApiError } from "../errors/api-error.js";
import { log } from "../logging/logger.js";
import { readJsonBody } from "../validation/request-body.js";
import { enqueueUntriedDeliveries } from "../webhooks/delivery-queue.js";
import { closeDispute } from "./dispute-outcome.js";
import { recordChargeback } from "./disputes.repository.js";
import { disputeView } from "./disputes.view.js";
import { chargebackSchema, outcomeSchema } from "./network-disputes.schemas.js";
import { verifyVaultToken } from "./vault-service-token.js";

/**
 * What card networks tell the gateway about disputes, handed over by the vault's connector service
 * with a service token only the vault can sign, each idempotent, so the acquirer's retries are safe:
 * - `POST /internal/v1/disputes`: a chargeback. The same one again answers with the same dispute.
 *   404 when no captured payment matches the advice (mode, network, RRN, amount, date), 409 when
 *   more than one does: never a guess across merchants or modes.
 * - `POST /internal/v1/disputes/outcomes`: the network's decision on one (`won` or `lost`). The same
 *   decision again answers with the same closed dispute; 404 for a chargeback not recorded (yet),
 *   409 for a decision contradicting the one recorded.
 */
export const networkDisputeRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    const token = /^Bearer (.+)$/.exec(c.req.header("Authorization") ?? "")?.[1];
    if (!token || !(await verifyVaultToken(c.env, token))) throw new ApiError("service_token_invalid");
    await next();
  })
  .post("/", async (c) => {
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
    // Queued before the 2xx: a failed send fails the advice, and the acquirer's retry chains it once.
    await queueAudit(c.env, [await disputeAuditEntry(recorded.dispute, "dispute.opened", c.get("requestId"))]);
    return c.json(disputeView(recorded.dispute));
  })
  .post("/outcomes", async (c) => {
    const body = await readJsonBody(c, outcomeSchema);
    const db = await c.var.db();
    const answer = await closeDispute(db, body);
    const fields = {
      network_reference: body.network_reference,
      processor: body.processor,
      livemode: body.livemode,
      outcome: body.outcome,
    };
    switch (answer.kind) {
      case "closed":
        await enqueueUntriedDeliveries(c.env, db, answer.eventIds);
        await queueAudit(c.env, [await disputeAuditEntry(answer.dispute, "dispute.closed", c.get("requestId"))]);
        return c.json(disputeView(answer.dispute));
      case "none":
        log("warn", "dispute outcome names no dispute", fields);
        throw new ApiError("resource_missing", {
          param: "network_reference",
          message: `No such dispute: '${body.network_reference}'.`,
        });
      case "conflict":
        // The network said the other thing before: ops must look; the balance follows the first.
        log("error", "dispute outcome contradicts the recorded one", {
          ...fields,
          dispute: answer.dispute.id,
          recorded: answer.dispute.status,
        });
        throw new ApiError("dispute_outcome_conflict", { param: "outcome" });
      default: {
        const unreachable: never = answer;
        throw new Error(`unknown outcome answer ${JSON.stringify(unreachable)}`);
      }
    }
  });
