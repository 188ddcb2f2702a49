import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../errors/api-error.js";
import { findMerchant } from "../merchants/merchants.repository.js";
import { opsAuth } from "../middleware/ops-auth/index.js";
import { readJsonBody } from "../validation/request-body.js";
import { createUserSchema } from "./dashboard-auth.schemas.js";
import { userView } from "./dashboard-auth.view.js";
import { insertUser } from "./dashboard-users.repository.js";

/**
 * Ops create a merchant's first dashboard users (`POST /v1/merchants/{id}/dashboard_users`,
 * scope `merchants:write`); from then on the merchant's admins add their own. Mounted at `/v1/merchants`.
 */
export const opsDashboardUserRoutes = new Hono<AppEnv>().post(
  "/:id/dashboard_users",
  opsAuth("merchants:write"),
  async (c) => {
    const body = await readJsonBody(c, createUserSchema);
    const db = await c.var.db();
    const merchant = await findMerchant(db, c.req.param("id"));
    if (!merchant)
      throw new ApiError("resource_missing", { param: "id", message: `No such merchant: '${c.req.param("id")}'.` });
    const created = await insertUser(db, { merchantId: merchant.id, ...body });
    if (!created) throw new ApiError("dashboard_user_exists", { param: "email" });
    await recordAudit(c, "dashboard.user_created", created.id, { merchant_id: merchant.id, role: created.role });
    return c.json(userView(created), 201);
  },
);
