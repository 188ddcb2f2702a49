import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { recordAudit } from "../audit/audit-log.js";
import { connect } from "../db/database.js";
import { ApiError } from "../errors/api-error.js";
import { opsAuth } from "../middleware/ops-auth/index.js";
import { readJsonBody, readQuery } from "../validation/request-body.js";
import { findRun, listItems, listRuns } from "./reconciliation.repository.js";
import { createRunSchema, listRunsSchema, retrieveRunSchema } from "./reconciliation.schemas.js";
import { reconciliationItemView, reconciliationRunView } from "./reconciliation.view.js";
import { reconcile } from "./reconciliation-run.js";
import { reportSource } from "./report-sources.js";

/**
 * Reconciliation against the processors' own files (issue 16 item 3), for ops: run one processor's
 * day (`reconciliation:write`), in the request, so the answer is the run; list runs and read one
 * with a page of its exceptions (`reconciliation:read`). Running a day again with the same file
 * answers the same run.
 */
/** The bound on one statement of a run (bench:settlement: the gateway's side of a million-line day stages in ~20 s). */
const RUN_STATEMENT_TIMEOUT_MS = 120_000;

export const opsReconciliationRoutes = new Hono<AppEnv>()
  .post("/runs", opsAuth("reconciliation:write"), async (c) => {
    const body = await readJsonBody(c, createRunSchema);
    const today = new Date().toISOString().slice(0, 10);
    const day = body.day ?? today;
    if (day > today) {
      throw new ApiError("parameter_invalid", { param: "day", message: "A day yet to come has no file." });
    }
    const livemode = body.livemode ?? false;
    const source = reportSource(c.env, body.processor, livemode);
    if (!source) throw new ApiError("reconciliation_source_missing", { param: "processor" });
    // Its own connection: a day of a million lines takes statements of tens of seconds (staging,
    // pairing), past the 10 s every request's queries are held to.
    const connection = await connect(c.env, { queryTimeoutMs: RUN_STATEMENT_TIMEOUT_MS }).catch((cause: unknown) => {
      throw new ApiError("database_unavailable", { cause });
    });
    const { run, created } = await reconcile(connection.db, c.env.SETTLEMENTS_BUCKET, source, {
      processor: body.processor,
      livemode,
      day,
    }).finally(() => connection.close().catch(() => {}));
    if (created) {
      await recordAudit(c, "reconciliation.run", run.id, { processor: run.processor, day: run.day, livemode });
    }
    return c.json(reconciliationRunView(run));
  })
  .get("/runs", opsAuth("reconciliation:read"), async (c) => {
    const query = readQuery(c, listRunsSchema);
    const limit = query.limit ?? 10;
    const rows = await listRuns(await c.var.db(), limit, {
      ...(query.starting_after ? { startingAfter: query.starting_after } : {}),
      ...(query.processor ? { processor: query.processor } : {}),
      ...(query.day ? { day: query.day } : {}),
      ...(query.livemode ? { livemode: query.livemode === "true" } : {}),
    });
    return c.json({
      object: "list",
      url: "/v1/ops/reconciliation/runs",
      has_more: rows.length > limit,
      data: rows.slice(0, limit).map(reconciliationRunView),
    });
  })
  .get("/runs/:id", opsAuth("reconciliation:read"), async (c) => {
    const query = readQuery(c, retrieveRunSchema);
    const db = await c.var.db();
    const run = await findRun(db, c.req.param("id"));
    if (!run) {
      throw new ApiError("resource_missing", {
        param: "id",
        message: `No such reconciliation run: '${c.req.param("id")}'.`,
      });
    }
    const limit = query.limit ?? 100;
    const items = await listItems(db, run.id, limit, {
      ...(query.starting_after === undefined ? {} : { afterSeq: query.starting_after }),
      ...(query.class ? { class: query.class } : {}),
    });
    const page = items.slice(0, limit);
    return c.json({
      ...reconciliationRunView(run),
      exceptions: {
        object: "list",
        has_more: items.length > limit,
        next_cursor: items.length > limit ? (page.at(-1)?.seq ?? null) : null,
        data: page.map(reconciliationItemView),
      },
    });
  });
