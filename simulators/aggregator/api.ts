import { type Context, Hono } from "hono";
import { secretKeyAuth } from "./auth.js";
import { decodeForm, type FormObject } from "./form-encoding.js";
import type { IdempotencyKeys } from "./idempotency.js";
import { idempotency } from "./idempotency-middleware.js";
import { newId } from "./ids.js";
import {
  cancelIntentParams,
  captureIntentParams,
  createIntentParams,
  createRefundParams,
  parseParams,
  retrieveIntentParams,
  searchIntentParams,
} from "./params.js";
import type { PaymentIntents } from "./payment-intents.js";
import type { Refunds } from "./refunds.js";
import { StripeFailure } from "./stripe-error.js";
import type { RequestContext } from "./webhooks.js";

type Env = { Variables: { requestId: string; form: FormObject } };

/**
 * The aggregator's API in Stripe's wire format (docs.stripe.com/api): form-encoded requests in
 * bracket notation, JSON answers, a `Request-Id` on each, errors in Stripe's shape. The official
 * `stripe` client works against it unchanged, pointed here with its `host`, `port` and `protocol`.
 * `/v1/payment_intents/search` is routed before `/v1/payment_intents/:intent`, which would take
 * `search` for an id.
 */
export function createStripeApi(deps: {
  secretKey: string;
  intents: PaymentIntents;
  refunds: Refunds;
  idempotencyKeys: IdempotencyKeys;
}) {
  return new Hono<Env>()
    .use(async function requestId(c, next) {
      c.set("requestId", newId("req"));
      await next();
      c.header("Request-Id", c.var.requestId);
    })
    .use(secretKeyAuth(deps.secretKey))
    .use(async function formBody(c, next) {
      // GETs carry their parameters (`expand[0]=...`) in the query string, POSTs in the body.
      c.set("form", decodeForm(c.req.method === "GET" ? new URL(c.req.url).search : await c.req.text()));
      await next();
    })
    .use(idempotency(deps.idempotencyKeys))
    .post("/v1/payment_intents", (c) =>
      c.json(deps.intents.create(parseParams(createIntentParams, c.var.form), context(c))),
    )
    .get("/v1/payment_intents/search", (c) => c.json(deps.intents.search(parseParams(searchIntentParams, c.var.form))))
    .get("/v1/payment_intents/:intent", (c) =>
      c.json(deps.intents.retrieve(c.req.param("intent"), parseParams(retrieveIntentParams, c.var.form).expand)),
    )
    .post("/v1/payment_intents/:intent/capture", (c) =>
      c.json(deps.intents.capture(c.req.param("intent"), parseParams(captureIntentParams, c.var.form), context(c))),
    )
    .post("/v1/payment_intents/:intent/cancel", (c) =>
      c.json(deps.intents.cancel(c.req.param("intent"), parseParams(cancelIntentParams, c.var.form), context(c))),
    )
    .post("/v1/refunds", (c) => c.json(deps.refunds.create(parseParams(createRefundParams, c.var.form), context(c))))
    .get("/v1/refunds/:refund", (c) => c.json(deps.refunds.retrieve(c.req.param("refund"))))
    .notFound((c) =>
      c.json(
        {
          error: {
            type: "invalid_request_error",
            message: `Unrecognized request URL (${c.req.method}: ${c.req.path}).`,
          },
        },
        404,
      ),
    )
    .onError((error, c) => {
      if (error instanceof StripeFailure) return c.json({ error: error.body }, error.status);
      // Our bug, not the caller's: the reason goes to the log (it names no card data), never to the answer.
      console.error(JSON.stringify({ level: "error", message: "aggregator API failed", reason: String(error) }));
      return c.json({ error: { type: "api_error", message: "An unknown error occurred" } }, 500);
    });
}

/** The request an event will name. */
function context(c: Context<Env>): RequestContext {
  return { requestId: c.var.requestId, idempotencyKey: c.req.header("Idempotency-Key") ?? null };
}
