import { type Context, Hono } from "hono";
import { randomBase62 } from "../../common/ids.js";
import type { Owner } from "../../common/owner.js";
import type { CreateAnswer, ExpireAnswer } from "../../durable-objects/checkout-session/checkout-session.object.js";
import { paymentObjectName } from "../../durable-objects/payment/payment-object-name.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { secretKeyAuth } from "../middleware/secret-key-auth/index.js";
import { timedObjectCall, timedStage } from "../middleware/server-timing/timing-scope.js";
import { idempotencyKey } from "../payments/create-payment.js";
import { requestHash } from "../payments/request-hash.js";
import { merchantPageUrl } from "../validation/merchant-page-url.js";
import { readJsonBody } from "../validation/request-body.js";
import { hostedCheckoutKey } from "./checkout-key.js";
import { merchantName } from "./checkout-merchant.repository.js";
import { checkoutSessionStub } from "./checkout-session-stub.js";
import {
  createCheckoutSessionSchema,
  DEFAULT_EXPIRES_IN,
  expireCheckoutSessionSchema,
} from "./checkout-sessions.schemas.js";
import { hostedMethods } from "./hosted-methods.js";

function ownerOf(c: Context<AppEnv>): Owner {
  const key = c.var.apiKey!;
  return { merchantId: key.merchantId, livemode: key.livemode };
}

const missing = (id: string) =>
  new ApiError("resource_missing", { param: "id", message: `No such checkout session: '${id}'.` });

/**
 * Hosted checkout sessions (issue 18): the merchant's server creates one with its secret key and
 * sends the customer to its `url`, a page the gateway serves (checkout-page.routes.ts). Each call
 * goes to the session's Durable Object, which owns its state; all are scoped by merchant and mode
 * (DESIGN invariant 6: another's session is a 404).
 */
export const checkoutSessionRoutes = new Hono<AppEnv>()
  .use(secretKeyAuth())
  .post("/", async (c) => {
    const body = await readJsonBody(c, createCheckoutSessionSchema);
    const methods = hostedMethods(body.payment_method_types, body.currency);
    const development = c.env.ENVIRONMENT === "development";
    const successUrl = merchantPageUrl(body.success_url, "success_url", development);
    const cancelUrl = merchantPageUrl(body.cancel_url, "cancel_url", development);
    const key = idempotencyKey(c);
    const owner = ownerOf(c);
    // With a key, its object, so creation is exactly once; without one, a fresh object.
    const objectId = c.env.CHECKOUT_SESSIONS.idFromName(
      paymentObjectName(owner.merchantId, owner.livemode, key ?? crypto.randomUUID()),
    );
    const { name, publishableKey } = await timedStage("storage", async () => {
      const db = await c.var.db();
      const [name, publishableKey] = await Promise.all([
        merchantName(db, owner.merchantId),
        hostedCheckoutKey(c.env, db, owner),
      ]);
      return { name, publishableKey };
    });
    const now = Date.now();
    const hash = await requestHash("checkout_session.create", body);
    const answer = await timedObjectCall<CreateAnswer>(() =>
      c.env.CHECKOUT_SESSIONS.get(objectId).create({
        id: `cs_${objectId.toString()}`,
        merchant_id: owner.merchantId,
        livemode: owner.livemode,
        amount: body.amount,
        currency: body.currency,
        success_url: successUrl,
        cancel_url: cancelUrl,
        payment_method_types: methods,
        description: body.description ?? null,
        metadata: body.metadata ?? {},
        expires_at: now + (body.expires_in ?? DEFAULT_EXPIRES_IN) * 1000,
        created_at: now,
        page_origin: new URL(c.req.url).origin,
        merchant_name: name ?? owner.merchantId,
        page_secret: randomBase62(43),
        publishable_key: publishableKey,
        idempotency_key: key,
        request_hash: hash,
      }),
    );
    if (answer.kind === "key_reused") throw new ApiError("idempotency_key_reused");
    if (answer.replayed) c.header("Idempotent-Replayed", "true");
    return c.json(answer.session);
  })
  .get("/:id", async (c) => {
    const id = c.req.param("id");
    const session = await timedObjectCall(() => checkoutSessionStub(c.env, id).retrieve(ownerOf(c)));
    if (!session) throw missing(id);
    return c.json(session);
  })
  .post("/:id/expire", async (c) => {
    await readJsonBody(c, expireCheckoutSessionSchema);
    const id = c.req.param("id");
    const answer = await timedObjectCall<ExpireAnswer>(() => checkoutSessionStub(c.env, id).expire(ownerOf(c)));
    if (!answer) throw missing(id);
    if ("state" in answer) {
      throw new ApiError("checkout_session_unexpected_state", {
        message:
          answer.state === "processing"
            ? "This checkout session's payment is being resolved with its processor; it cannot be expired now."
            : `Only an open checkout session can be expired; this one is ${answer.state}.`,
      });
    }
    return c.json(answer.session);
  });
