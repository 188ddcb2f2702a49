import { Hono } from "hono";
import type { Env } from "./idempotency.js";
import { wantsRepresentation } from "./orders-api.js";
import type { Payments } from "./payments.js";
import { authorizationView, captureView, refundView } from "./paypal-views.js";
import { captureAuthorizationBody, parseBody, refundBody } from "./request-bodies.js";

/**
 * Payments v2 (developer.paypal.com/api/payments/v2): authorizations (show, capture, void),
 * captures (show, refund), refunds (show). A void answers 204 unless `Prefer: return=representation`.
 */
export function createPaymentsApi(deps: { payments: Payments; base: () => string }) {
  const { payments } = deps;
  return new Hono<Env>()
    .get("/v2/payments/authorizations/:id", (c) => {
      const { order, record } = payments.find("authorization", c.req.param("id"));
      return c.json(authorizationView(deps.base(), order, record));
    })
    .post("/v2/payments/authorizations/:id/capture", async (c) => {
      const body = parseBody(captureAuthorizationBody, await c.req.text());
      const { order, record } = payments.captureAuthorization(c.req.param("id"), body);
      c.set("kept", { kind: "capture", id: record.id });
      return c.json(captureView(deps.base(), order, record), 201);
    })
    .post("/v2/payments/authorizations/:id/void", (c) => {
      const { order, record } = payments.voidAuthorization(c.req.param("id"));
      const representation = wantsRepresentation(c.req.header("Prefer"));
      c.set("kept", { kind: "void", id: record.id, representation });
      if (!representation) return c.body(null, 204);
      return c.json(authorizationView(deps.base(), order, record));
    })
    .get("/v2/payments/captures/:id", (c) => {
      const { order, record } = payments.find("capture", c.req.param("id"));
      return c.json(captureView(deps.base(), order, record));
    })
    .post("/v2/payments/captures/:id/refund", async (c) => {
      const body = parseBody(refundBody, await c.req.text());
      const { order, record } = payments.refund(c.req.param("id"), body);
      c.set("kept", { kind: "refund", id: record.id });
      return c.json(refundView(deps.base(), order, record), 201);
    })
    .get("/v2/payments/refunds/:id", (c) => {
      const { order, record } = payments.find("refund", c.req.param("id"));
      return c.json(refundView(deps.base(), order, record));
    });
}
