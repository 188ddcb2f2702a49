import { Hono } from "hono";
import { z } from "zod";
import type { PaymentObject } from "../../durable-objects/payment/payment.object.js";
import { paymentObjectName } from "../../durable-objects/payment/payment-object-name.js";
import type { AppEnv } from "../app-env.js";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../errors/api-error.js";
import { opsAuth } from "../middleware/ops-auth/index.js";
import { readJsonBody } from "../validation/request-body.js";
import { consumerSwitches, setConsumerSwitch } from "./consumer-switch.js";

const PAYMENT_ID = /^pay_([0-9a-f]{64})$/;
const switchSchema = z.strictObject({ payment_events: z.enum(["fail", "ok"]) });
const byKeySchema = z.strictObject({
  merchant_id: z.string().regex(/^acct_[0-9A-Za-z]+$/),
  idempotency_key: z.string().min(1).max(255),
  /** The payment's mode (default test): the same key in each mode is a different object. */
  livemode: z.boolean().optional(),
});

/** Aborts a payment's object (as an eviction or a crash would); the call never returns normally. */
async function reset(stub: DurableObjectStub<PaymentObject>) {
  try {
    await stub.chaosReset();
  } catch {
    // The abort reaches the caller as an exception: that is the reset having happened.
  }
}

/**
 * Fault switches for `npm run chaos`, mounted at `/v1/ops/chaos`. They exist only when the var
 * CHAOS_ROUTES is "on" (the local stack; wrangler.toml says "off" in every environment), and even
 * then only for an ops token holding `chaos:write`. Everywhere else they are an ordinary 404.
 */
export const chaosRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (c.env.CHAOS_ROUTES !== "on") throw new ApiError("route_not_found");
    await next();
  })
  .use(opsAuth("chaos:write"))
  .get("/consumers", async (c) => c.json(await consumerSwitches(c.env)))
  .put("/consumers", async (c) => {
    const body = await readJsonBody(c, switchSchema);
    await setConsumerSwitch(c.env, "payment-events", body.payment_events);
    await recordAudit(c, "chaos.consumer_switched", "payment-events", { mode: body.payment_events });
    return c.json(await consumerSwitches(c.env));
  })
  .post("/payments/:id/reset", async (c) => {
    const id = c.req.param("id");
    const match = PAYMENT_ID.exec(id);
    if (!match?.[1]) throw new ApiError("resource_missing", { param: "id", message: `No such payment: '${id}'.` });
    await recordAudit(c, "chaos.payment_reset", id, {});
    await reset(c.env.PAYMENTS.get(c.env.PAYMENTS.idFromString(match[1])));
    return c.json({ id, reset: true });
  })
  // By (merchant, create key), the object's own name: reachable while its create is still in flight.
  .post("/payments/reset", async (c) => {
    const body = await readJsonBody(c, byKeySchema);
    const objectId = c.env.PAYMENTS.idFromName(
      paymentObjectName(body.merchant_id, body.livemode ?? false, body.idempotency_key),
    );
    const id = `pay_${objectId.toString()}`;
    await recordAudit(c, "chaos.payment_reset", id, {});
    await reset(c.env.PAYMENTS.get(objectId));
    return c.json({ id, reset: true });
  });
