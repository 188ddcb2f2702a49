import { Hono } from "hono";
import type { SigningCertificate } from "./certificate.js";
import { type Env, type KeptResource, paypalRequestIds, type RequestIds } from "./idempotency.js";
import { mockResponses } from "./mock-response.js";
import { createNotificationsApi } from "./notifications-api.js";
import { type AccessTokens, bearerAuth, createTokenApi } from "./oauth.js";
import type { Orders } from "./orders.js";
import { createOrdersApi } from "./orders-api.js";
import type { Payments } from "./payments.js";
import { createPaymentsApi } from "./payments-api.js";
import { PayPalFailure } from "./paypal-error.js";
import { debugId } from "./paypal-ids.js";
import { authorizationView, captureView, orderView, refundView } from "./paypal-views.js";

export interface ApiDeps {
  tokens: AccessTokens;
  requestIds: RequestIds;
  orders: Orders;
  payments: Payments;
  certificate: SigningCertificate;
  base: () => string;
}

/**
 * The wallet's API in PayPal's REST wire format: OAuth at `/v1/oauth2/token`, Orders v2 and
 * Payments v2 behind a bearer token, then (in this order) the sandbox's `PayPal-Mock-Response` and
 * `PayPal-Request-Id`; the v1 notifications API. Every answer carries a `Paypal-Debug-Id`, and
 * every error goes through the one handler below, in PayPal's error shape.
 */
export function createPayPalApi(deps: ApiDeps) {
  const { orders, payments, base } = deps;
  const replay = (resource: KeptResource): Response => {
    switch (resource.kind) {
      case "order":
        return Response.json(orderView(base(), orders.get(resource.id)));
      case "capture": {
        const { order, record } = payments.find("capture", resource.id);
        return Response.json(captureView(base(), order, record));
      }
      case "authorization": {
        const { order, record } = payments.find("authorization", resource.id);
        return Response.json(authorizationView(base(), order, record));
      }
      case "refund": {
        const { order, record } = payments.find("refund", resource.id);
        return Response.json(refundView(base(), order, record));
      }
      case "void": {
        // As the first answer was: 204 and no body, or 200 and the authorization.
        if (!resource.representation) return new Response(null, { status: 204 });
        const { order, record } = payments.find("authorization", resource.id);
        return Response.json(authorizationView(base(), order, record));
      }
    }
  };
  return new Hono<Env>()
    .use(async function paypalDebugId(c, next) {
      await next();
      if (!c.res.headers.has("Paypal-Debug-Id")) c.header("Paypal-Debug-Id", debugId());
    })
    .onError((error, c) => {
      const failure = error instanceof PayPalFailure ? error : new PayPalFailure(500);
      if (!(error instanceof PayPalFailure)) console.error(error);
      const debug = debugId();
      return c.json(failure.body(debug), failure.status, { "Paypal-Debug-Id": debug });
    })
    .notFound((c) => c.json(new PayPalFailure(404).body(), 404))
    .route("/", createTokenApi(deps.tokens))
    .use("/v2/*", bearerAuth(deps.tokens, "v2"), mockResponses(), paypalRequestIds(deps.requestIds, replay))
    .use("/v1/notifications/verify-webhook-signature", bearerAuth(deps.tokens, "v1"))
    .route("/", createOrdersApi({ orders, base }))
    .route("/", createPaymentsApi({ payments, base }))
    .route("/", createNotificationsApi(deps.certificate));
}
