import { z } from "zod";
import { REPORT_STATUSES, REPORT_TYPES } from "../../db/schema/reports.js";
import { livemode, prefixedId, resource, unixSeconds } from "../openapi/fields.js";
import type { Operation } from "../openapi/operation.js";
import { REPORT_FAILURES } from "./report-view.js";
import { createReportSchema, downloadSchema, listReportsSchema } from "./reports.schemas.js";

export const Report = resource(
  "Report",
  z.strictObject({
    id: prefixedId("rpt"),
    object: z.literal("report"),
    livemode,
    type: z.enum(REPORT_TYPES),
    status: z
      .enum(REPORT_STATUSES)
      .describe(
        "`pending` until it runs; `ready` with its file; or `failed` (final, `failure_code` says why: `dead_lettered` when every try of its run failed, `timed_out` when it stayed pending six hours).",
      ),
    created_range: z.strictObject({ gte: unixSeconds.nullable(), lte: unixSeconds.nullable() }),
    row_count: z.number().int().nullable(),
    file: z
      .strictObject({
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        download_url: z
          .string()
          .nullable()
          .describe("Signed, valid five minutes; no key needed. Retrieve the report again for a new one."),
        expires: unixSeconds.nullable(),
      })
      .nullable(),
    failure_code: z.enum(REPORT_FAILURES).nullable(),
    created: unixSeconds,
    completed: unixSeconds.nullable(),
  }),
  "A CSV of your objects of one type created in a time range, made in the background.",
);

export const reportOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/reports",
    operationId: "createReport",
    tag: "Reports",
    summary: "Run a report",
    description:
      "`type` is payments, refunds, balance_transactions, disputes or settlements; `created[gte]` and `created[lte]` (Unix seconds, both optional) bound it. The report runs in the background; `report.ready` says when its file is there, and retrieving it gives a signed download link. A run that cannot be made ends `failed` with `report.failed`.",
    auth: { kind: "secret_key" },
    body: createReportSchema,
    success: { status: 200, description: "The report, pending.", body: { resource: "Report" } },
  },
  {
    method: "get",
    path: "/v1/reports",
    operationId: "listReports",
    tag: "Reports",
    summary: "List reports",
    description: "Your reports in the key's mode, newest first. Retrieve one for its download link.",
    auth: { kind: "secret_key" },
    query: listReportsSchema,
    success: { status: 200, description: "A page of reports.", body: { resource: "Report", list: true } },
  },
  {
    method: "get",
    path: "/v1/reports/{id}",
    operationId: "retrieveReport",
    tag: "Reports",
    summary: "Retrieve a report",
    auth: { kind: "secret_key" },
    success: { status: 200, description: "The report, with a download link once ready.", body: { resource: "Report" } },
    errors: ["resource_missing"],
  },
  {
    method: "get",
    path: "/v1/reports/{id}/download",
    operationId: "downloadReport",
    tag: "Reports",
    summary: "Download a report's CSV (signed link)",
    description:
      "The link from the report's `file.download_url`: it is the credential, and expires after five minutes.",
    auth: { kind: "none" },
    query: downloadSchema,
    success: { status: 200, description: "The CSV, as stored.", body: { schema: z.string(), contentType: "text/csv" } },
    errors: ["report_link_invalid", "resource_missing", "settlement_file_missing"],
  },
];

export const reportResources = [Report];
