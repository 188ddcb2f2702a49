import { Hono } from "hono";
import { z } from "zod";
import type { Env } from "./idempotency.js";
import type { Orders } from "./orders.js";
import { minimalOrderView, orderView } from "./paypal-views.js";
import { createOrderBody, parseBody } from "./request-bodies.js";

/** `Prefer: return=representation` asks for the whole resource; the default is PayPal's minimal answer. */
export const wantsRepresentation = (prefer: string | undefined) => /return=representation/i.test(prefer ?? "");

/** The capture and authorize bodies carry nothing the simulator uses; they must still be JSON. */
const emptyBody = z.object({});

/**
 * Orders v2 (developer.paypal.com/api/orders/v2): create, show, capture, authorize. A new order
 * answers 201 (minimal unless `Prefer: return=representation`); capture and authorize answer 201
 * with the whole order, its `purchase_units[0].payments` holding what they made.
 */
export function createOrdersApi(deps: { orders: Orders; base: () => string }) {
  return new Hono<Env>()
    .post("/v2/checkout/orders", async (c) => {
      const order = deps.orders.create(parseBody(createOrderBody, await c.req.text()));
      c.set("kept", { kind: "order", id: order.id });
      const view = wantsRepresentation(c.req.header("Prefer")) ? orderView : minimalOrderView;
      return c.json(view(deps.base(), order), 201);
    })
    .get("/v2/checkout/orders/:id", (c) => c.json(orderView(deps.base(), deps.orders.get(c.req.param("id")))))
    .post("/v2/checkout/orders/:id/capture", async (c) => {
      parseBody(emptyBody, await c.req.text());
      const order = deps.orders.capture(c.req.param("id"));
      c.set("kept", { kind: "order", id: order.id });
      return c.json(orderView(deps.base(), order), 201);
    })
    .post("/v2/checkout/orders/:id/authorize", async (c) => {
      parseBody(emptyBody, await c.req.text());
      const order = deps.orders.authorize(c.req.param("id"));
      c.set("kept", { kind: "order", id: order.id });
      return c.json(orderView(deps.base(), order), 201);
    });
}
