import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { secretKeyAuth } from "../middleware/secret-key-auth/index.js";
import { findRefund } from "./payments.repository.js";
import { refundRowView } from "./payments.view.js";

/** `GET /v1/refunds/{id}`, from the Postgres projection (a refund is visible once projected). */
export const refundRoutes = new Hono<AppEnv>().use(secretKeyAuth()).get("/:id", async (c) => {
  const { merchantId, livemode } = c.var.apiKey!;
  const refund = await findRefund(await c.var.db(), { merchantId, livemode }, c.req.param("id"));
  if (!refund)
    throw new ApiError("resource_missing", { param: "id", message: `No such refund: '${c.req.param("id")}'.` });
  return c.json(refundRowView(refund));
});
