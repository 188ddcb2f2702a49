import { Hono } from "hono";
import { sha256Hex } from "../../common/sha256-hex.js";
import type { AppEnv } from "../app-env.js";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../errors/api-error.js";
import { secretKeyAuth } from "../middleware/secret-key-auth/index.js";
import { readJsonBody, readQuery } from "../validation/request-body.js";
import { enqueueUntriedDeliveries } from "../webhooks/delivery-queue.js";
import { findDispute, listDisputes, submitEvidence } from "./disputes.repository.js";
import { evidenceSchema, listSchema } from "./disputes.schemas.js";
import { disputeView } from "./disputes.view.js";

const missing = (id: string) => new ApiError("resource_missing", { param: "id", message: `No such dispute: '${id}'.` });

/**
 * `GET /v1/disputes[/{id}]` and `POST /v1/disputes/{id}/evidence` (text evidence), for the
 * caller's merchant and mode only: a test key neither sees nor answers a live dispute.
 */
export const disputeRoutes = new Hono<AppEnv>()
  .use(secretKeyAuth())
  .get("/", async (c) => {
    const query = readQuery(c, listSchema);
    const limit = query.limit ?? 10;
    const rows = await listDisputes(await c.var.db(), c.var.apiKey!, limit, query.starting_after);
    return c.json({
      object: "list",
      url: "/v1/disputes",
      has_more: rows.length > limit,
      data: rows.slice(0, limit).map(disputeView),
    });
  })
  .get("/:id", async (c) => {
    const row = await findDispute(await c.var.db(), c.var.apiKey!, c.req.param("id"));
    if (!row) throw missing(c.req.param("id"));
    return c.json(disputeView(row));
  })
  .post("/:id/evidence", async (c) => {
    const body = await readJsonBody(c, evidenceSchema);
    const db = await c.var.db();
    const owner = c.var.apiKey!;
    const submitted = await submitEvidence(db, owner, c.req.param("id"), body.text);
    if (!submitted) {
      if (!(await findDispute(db, owner, c.req.param("id")))) throw missing(c.req.param("id"));
      throw new ApiError("dispute_closed", { param: "id" });
    }
    // The evidence is the dispute's own record; the trail proves which text went in, and who sent it.
    await recordAudit(c, "dispute.evidence_submitted", submitted.dispute.id, {
      payment_id: submitted.dispute.paymentId,
      evidence_sha256: await sha256Hex(body.text),
      evidence_length: body.text.length,
    });
    await enqueueUntriedDeliveries(c.env, db, submitted.eventIds);
    return c.json(disputeView(submitted.dispute));
  });
