import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { newId } from "../../common/ids.js";
import { reports } from "../../db/schema/reports.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { describeError, log } from "../logging/logger.js";
import { secretKeyAuth } from "../middleware/secret-key-auth/index.js";
import { readJsonBody, readQuery } from "../validation/request-body.js";
import { signReportLink, verifyReportLink } from "./report-link.js";
import type { ReportMessage } from "./report-run.js";
import { reportView } from "./report-view.js";
import { findReport, listReports } from "./reports.repository.js";
import { createReportSchema, downloadSchema, listReportsSchema } from "./reports.schemas.js";

const missing = (id: string) => new ApiError("resource_missing", { param: "id", message: `No such report: '${id}'.` });

const at = (seconds: number | undefined) => (seconds === undefined ? null : new Date(seconds * 1000));

/**
 * Reports (issue 16 item 4): `POST /v1/reports` records the run and sends it through the
 * `settlement-batch` queue, which streams the rows to R2 (report-run.ts) and records
 * `report.ready` (if the send fails, or the run fails for good, the hourly sweep sends it again or
 * marks it failed: report-sweep.ts); `GET /v1/reports` lists them, newest first;
 * `GET /v1/reports/{id}` says how one stands and, once ready, gives a download link signed for
 * five minutes; the link itself needs no key (it is the credential) and streams the file as stored.
 */
export const reportRoutes = new Hono<AppEnv>()
  .post("/", secretKeyAuth(), async (c) => {
    const body = await readJsonBody(c, createReportSchema);
    const owner = c.var.apiKey!;
    const db = await c.var.db();
    const [report] = await db
      .insert(reports)
      .values({
        id: newId("report"),
        merchantId: owner.merchantId,
        livemode: owner.livemode,
        type: body.type,
        createdFrom: at(body["created[gte]"]),
        createdTo: at(body["created[lte]"]),
      })
      .returning();
    const message: ReportMessage = { kind: "report", report_id: report!.id };
    try {
      await c.env.SETTLEMENT_BATCH.send(message, { contentType: "json" });
    } catch (error) {
      // The report is recorded: the hourly sweep sends it again, so the answer stands.
      log("warn", "report recorded, its run not sent: the sweep will send it", {
        report: report!.id,
        ...describeError(error),
      });
    }
    return c.json(reportView(report!, null));
  })
  .get("/", secretKeyAuth(), async (c) => {
    const query = readQuery(c, listReportsSchema);
    const limit = query.limit ?? 10;
    const rows = await listReports(await c.var.db(), c.var.apiKey!, limit, query.starting_after);
    return c.json({
      object: "list",
      url: "/v1/reports",
      has_more: rows.length > limit,
      // No download links in a list: retrieve a report for one (each is a credential for five minutes).
      data: rows.slice(0, limit).map((row) => reportView(row, null)),
    });
  })
  .get("/:id", secretKeyAuth(), async (c) => {
    const report = await findReport(await c.var.db(), c.var.apiKey!, c.req.param("id"));
    if (!report) throw missing(c.req.param("id"));
    const link = report.status === "ready" ? await signReportLink(c.env.API_KEY_PEPPER, report.id) : null;
    return c.json(reportView(report, link));
  })
  .get("/:id/download", async (c) => {
    const query = readQuery(c, downloadSchema);
    const id = c.req.param("id");
    if (!(await verifyReportLink(c.env.API_KEY_PEPPER, id, query.expires, query.signature))) {
      throw new ApiError("report_link_invalid");
    }
    const [report] = await (await c.var.db()).select().from(reports).where(eq(reports.id, id));
    if (!report?.fileKey) throw missing(id);
    const file = await c.env.REPORTS_BUCKET.get(report.fileKey);
    if (!file) throw new ApiError("settlement_file_missing", { param: "id" });
    return new Response(file.body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${report.id}.csv"`,
        "Content-Length": String(file.size),
        "Cache-Control": "private, no-store",
        "X-Content-SHA256": report.fileSha256 ?? "",
      },
    });
  });
