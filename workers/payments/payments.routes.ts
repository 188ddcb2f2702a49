import { type Context, Hono } from "hono";
import type { PaymentCaller, PaymentReply } from "../../durable-objects/payment/payment-record.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { secretKeyAuth } from "../middleware/secret-key-auth/index.js";
import { timedObjectCall, timedStage } from "../middleware/server-timing/timing-scope.js";
import { readJsonBody, readQuery } from "../validation/request-body.js";
import { upgradeStored } from "../versions/transform.js";
import { idempotencyKey, prepareCreate } from "./create-payment.js";
import { paymentSummary, type SummaryRange } from "./payment-summary.repository.js";
import { paymentSummaryView } from "./payment-summary.view.js";
import { listPayments } from "./payments.repository.js";
import {
  cancelSchema,
  captureSchema,
  createPaymentSchema,
  listPaymentsSchema,
  paymentSummarySchema,
  refundSchema,
} from "./payments.schemas.js";
import { paymentRowView } from "./payments.view.js";
import { requestHash } from "./request-hash.js";

const PAYMENT_ID = /^pay_([0-9a-f]{64})$/;

/** The merchant and mode of the key: the payment object answers only these (DESIGN invariant 6). */
function callerOf(c: Context<AppEnv>): PaymentCaller {
  const key = c.var.apiKey!;
  return { merchantId: key.merchantId, livemode: key.livemode };
}

/** The payment's object: its id is the Durable Object id, so no lookup is needed to route. */
function paymentStub(c: Context<AppEnv>, id: string) {
  const missing = new ApiError("resource_missing", { param: "id", message: `No such payment: '${id}'.` });
  const match = PAYMENT_ID.exec(id);
  if (!match?.[1]) throw missing;
  try {
    return c.env.PAYMENTS.get(c.env.PAYMENTS.idFromString(match[1]));
  } catch {
    throw missing; // 64 hex digits, but not an id this namespace issued
  }
}

function reply(c: Context<AppEnv>, answer: PaymentReply): Response {
  if (!answer.replayed) return c.json(answer.body as object, answer.status as 200);
  c.header("Idempotent-Replayed", "true");
  // Stored when first answered, perhaps before a version change: in the latest shape first.
  return c.json(upgradeStored(answer.body) as object, answer.status as 200);
}

/**
 * The seed's payment service: create, read, capture, cancel, refund, each forwarded to the
 * payment's Durable Object, which owns state, idempotency and the processor calls.
 */
export const paymentRoutes = new Hono<AppEnv>()
  .use(secretKeyAuth())
  .post("/", async (c) => {
    const body = await readJsonBody(c, createPaymentSchema);
    const { objectId, input } = await prepareCreate(
      c,
      callerOf(c),
      body,
      idempotencyKey(c),
      c.get("apiKey")?.id ?? null,
    );
    return reply(c, await timedObjectCall<PaymentReply>(() => c.env.PAYMENTS.get(objectId).create(input)));
  })
  .get("/", async (c) => {
    const query = readQuery(c, listPaymentsSchema);
    const limit = query.limit ?? 10;
    const { rows, refunds, attempts } = await timedStage("storage", async () =>
      listPayments(await c.var.db(), {
        ...callerOf(c),
        limit,
        ...(query.status ? { status: query.status } : {}),
        ...(query.starting_after ? { startingAfter: query.starting_after } : {}),
        ...(query["created[gte]"] !== undefined ? { createdFrom: new Date(query["created[gte]"] * 1000) } : {}),
        ...(query["created[lte]"] !== undefined ? { createdTo: new Date(query["created[lte]"] * 1000) } : {}),
      }),
    );
    return c.json({
      object: "list",
      url: "/v1/payments",
      has_more: rows.length > limit,
      data: rows.slice(0, limit).map((row) =>
        paymentRowView(
          row,
          refunds.filter((refund) => refund.paymentId === row.id),
          attempts.filter((attempt) => attempt.paymentId === row.id),
        ),
      ),
    });
  })
  // Before `/:id`: "summary" is no payment id.
  .get("/summary", async (c) => {
    const query = readQuery(c, paymentSummarySchema);
    const range = summaryRange(query["created[gte]"], query["created[lt]"]);
    const rows = await timedStage("storage", async () => paymentSummary(await c.var.db(), callerOf(c), range));
    return c.json(paymentSummaryView(rows, range, callerOf(c).livemode));
  })
  .get("/:id", async (c) => {
    const payment = await timedObjectCall(() => paymentStub(c, c.req.param("id")).retrieve(callerOf(c)));
    if (!payment)
      throw new ApiError("resource_missing", { param: "id", message: `No such payment: '${c.req.param("id")}'.` });
    return c.json(payment);
  })
  .get("/:id/events", async (c) => {
    const events = await timedObjectCall(() => paymentStub(c, c.req.param("id")).events(callerOf(c)));
    if (!events)
      throw new ApiError("resource_missing", { param: "id", message: `No such payment: '${c.req.param("id")}'.` });
    return c.json({ object: "list", data: events });
  })
  .post("/:id/capture", async (c) => {
    const body = await readJsonBody(c, captureSchema);
    const input = await followUp(c, "capture", body, body.amount_to_capture);
    return reply(c, await timedObjectCall<PaymentReply>(() => paymentStub(c, c.req.param("id")).capture(input)));
  })
  .post("/:id/cancel", async (c) => {
    const body = await readJsonBody(c, cancelSchema);
    const input = await followUp(c, "cancel", body);
    return reply(c, await timedObjectCall<PaymentReply>(() => paymentStub(c, c.req.param("id")).cancel(input)));
  })
  .post("/:id/refund", async (c) => {
    const body = await readJsonBody(c, refundSchema);
    const input = await followUp(c, "refund", body, body.amount);
    const refund = { ...input, reason: body.reason ?? null };
    return reply(c, await timedObjectCall<PaymentReply>(() => paymentStub(c, c.req.param("id")).refund(refund)));
  });

/** The summary's range as validated (`paymentSummarySchema`): without an end, it runs to now. */
function summaryRange(from: number, to: number | undefined): SummaryRange {
  return { from: new Date(from * 1000), to: new Date((to ?? Math.ceil(Date.now() / 1000)) * 1000) };
}

async function followUp(c: Context<AppEnv>, operation: string, body: unknown, amount?: number) {
  return {
    ...callerOf(c),
    requestId: c.get("requestId"),
    apiKeyId: c.get("apiKey")?.id ?? null,
    idempotencyKey: idempotencyKey(c),
    requestHash: await requestHash(`${operation} ${c.req.param("id")}`, body),
    ...(amount === undefined ? {} : { amount }),
  };
}
