import { z } from "zod";
import { EXCEPTION_CLASSES, RECONCILIATION_CLASSES } from "../../db/schema/reconciliation.js";
import { livemode, prefixedId, resource, unixSeconds } from "../openapi/fields.js";
import type { Operation } from "../openapi/operation.js";
import { createRunSchema, listRunsSchema, retrieveRunSchema } from "./reconciliation.schemas.js";
import { RECONCILABLE_PROCESSORS } from "./report-sources.js";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const runFields = {
  id: prefixedId("rcn"),
  object: z.literal("reconciliation_run"),
  processor: z
    .enum(RECONCILABLE_PROCESSORS)
    .describe(
      "The processor whose file it is, read in its own layout: an acquirer's clearing file, the aggregator's itemized balance report (Stripe-style CSV), the UPI switch's settlement file (NPCI-style CSV), the wallet's settlement report (PayPal STL).",
    ),
  livemode,
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .describe("The day reconciled (UTC): the file's day and the gateway's movements booked on it."),
  status: z
    .enum(["completed", "superseded"])
    .describe("superseded: a later run of the same day read a changed file; both are kept."),
  supersedes: z.string().nullable().describe("The day's run this one replaced, if any."),
  file: z.strictObject({
    sha256: sha256.describe("SHA-256 of the file as pulled and stored in R2."),
    bytes: z.number().int(),
    lines: z.number().int().describe("Its detail lines reconciled: charges and refunds that moved money."),
    key: z.string().describe("Where it is kept (the settlements bucket)."),
  }),
  gateway_count: z.number().int().describe("The gateway's captures and refunds at the processor that day."),
  counts: z
    .record(z.enum(RECONCILIATION_CLASSES), z.number().int())
    .describe("How many came out in each class, matched included."),
  exceptions_file: z.strictObject({
    sha256: sha256.describe("SHA-256 of the exceptions CSV."),
    key: z.string().describe("Where the exceptions CSV is kept (the settlements bucket)."),
  }),
  created: unixSeconds,
};

export const ReconciliationRun = resource(
  "ReconciliationRun",
  z.strictObject(runFields),
  "One reconciliation of a processor's daily file for one day and mode against the gateway's books.",
);

const side = z.strictObject({
  amount: z.number().int().nullable(),
  currency: z.string().nullable(),
  fee: z.number().int().nullable(),
  auth_code: z.string().nullable(),
});

export const ReconciliationItem = resource(
  "ReconciliationItem",
  z.strictObject({
    object: z.literal("reconciliation_item"),
    seq: z.number().int().describe("Its place in the run (the cursor for the next page)."),
    class: z.enum(EXCEPTION_CLASSES),
    kind: z.enum(["charge", "refund"]),
    reference: z
      .string()
      .nullable()
      .describe(
        "The line's own id at the processor (an RRN, ISO 8583 field 37; a charge's or refund's id; a UPI txn id; a PayPal transaction id), else the gateway's processor reference.",
      ),
    original_reference: z
      .string()
      .nullable()
      .describe(
        "The payment's key in the processor's files when it is not `reference` itself: a refund's original RRN or txn, a charge's PaymentIntent, a refunded PayPal capture.",
      ),
    line: z.number().int().nullable().describe("The line in the file (1 is the first detail line)."),
    source: z.string().nullable().describe("The gateway's object: the payment (its capture) or the refund."),
    payment: z.string().nullable(),
    merchant: z.string().nullable(),
    file: side.describe("What the processor's file says (nulls: no line)."),
    gateway: side.describe("What the gateway booked (nulls: no movement)."),
  }),
  "An exception of a reconciliation run: a line, a movement, or both, and what differs.",
);

export const ReconciliationRunDetail = resource(
  "ReconciliationRunDetail",
  z.strictObject({
    ...runFields,
    exceptions: z.strictObject({
      object: z.literal("list"),
      has_more: z.boolean(),
      next_cursor: z.number().int().nullable(),
      data: z.array(ReconciliationItem),
    }),
  }),
  "A reconciliation run with a page of its exceptions.",
);

const ops = (scope: "reconciliation:read" | "reconciliation:write") => ({ kind: "ops", scope }) as const;

export const reconciliationOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/ops/reconciliation/runs",
    operationId: "createReconciliationRun",
    tag: "Ops: reconciliation",
    summary: "Reconcile a processor's day",
    description:
      "Pulls the processor's daily file (clearing file, balance or settlement report) for the day (today's so far by default) from its drop, keeps it in R2, and classifies every line and every gateway movement of the day: matched, missing_at_processor, missing_at_gateway, amount_mismatch, currency_mismatch, duplicate, fee_mismatch. The same file again answers the same run; a changed file makes a new run that supersedes the day's previous one.",
    auth: ops("reconciliation:write"),
    body: createRunSchema,
    success: {
      status: 200,
      description: "The run (new, or the one made before from the same file).",
      body: { resource: "ReconciliationRun" },
    },
    errors: ["reconciliation_source_missing", "processor_report_unavailable", "processor_report_invalid"],
  },
  {
    method: "get",
    path: "/v1/ops/reconciliation/runs",
    operationId: "listReconciliationRuns",
    tag: "Ops: reconciliation",
    summary: "List reconciliation runs",
    auth: ops("reconciliation:read"),
    query: listRunsSchema,
    success: {
      status: 200,
      description: "A page of runs, newest first.",
      body: { resource: "ReconciliationRun", list: true },
    },
  },
  {
    method: "get",
    path: "/v1/ops/reconciliation/runs/{id}",
    operationId: "retrieveReconciliationRun",
    tag: "Ops: reconciliation",
    summary: "Retrieve a reconciliation run and its exceptions",
    auth: ops("reconciliation:read"),
    query: retrieveRunSchema,
    success: {
      status: 200,
      description:
        "The run, with a page of its exceptions in the order found (`class` filters, `starting_after` pages).",
      body: { resource: "ReconciliationRunDetail" },
    },
    errors: ["resource_missing"],
  },
];

export const reconciliationResources = [ReconciliationRun, ReconciliationItem, ReconciliationRunDetail];
