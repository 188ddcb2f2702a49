import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { readJsonBody } from "../validation/request-body.js";
import { recordDashboardAudit } from "./dashboard-audit.js";
import { createUserSchema, updateUserSchema } from "./dashboard-auth.schemas.js";
import { userView } from "./dashboard-auth.view.js";
import { dashboardSession, signedIn } from "./dashboard-session.js";
import { findUser, insertUser, listUsers, setRole } from "./dashboard-users.repository.js";

/**
 * The merchant's dashboard users, managed through an admin's session at `/dashboard/api/users`
 * (role-policy.ts: any role may list, only an admin may add or change). A user is only ever
 * found within the signed-in user's merchant: another merchant's id is a 404.
 */
export const userRoutes = new Hono<AppEnv>()
  .use(dashboardSession())
  .get("/", async (c) => {
    const { user } = signedIn(c);
    const users = await listUsers(await c.var.db(), user.merchantId);
    return c.json({ object: "list", data: users.map(userView), has_more: false });
  })
  .post("/", async (c) => {
    const body = await readJsonBody(c, createUserSchema);
    const { user } = signedIn(c);
    const created = await insertUser(await c.var.db(), { merchantId: user.merchantId, ...body });
    if (!created) throw new ApiError("dashboard_user_exists", { param: "email" });
    await recordDashboardAudit(
      c,
      { userId: user.id, merchantId: user.merchantId },
      "dashboard.user_created",
      created.id,
      {
        role: created.role,
      },
    );
    return c.json(userView(created), 201);
  })
  .patch("/:id", async (c) => {
    const body = await readJsonBody(c, updateUserSchema);
    const { user } = signedIn(c);
    const db = await c.var.db();
    const before = await findUser(db, c.req.param("id"));
    const changed =
      before?.merchantId === user.merchantId ? await setRole(db, user.merchantId, before.id, body.role) : undefined;
    if (!before || !changed) {
      throw new ApiError("resource_missing", {
        param: "id",
        message: `No such dashboard user: '${c.req.param("id")}'.`,
      });
    }
    await recordDashboardAudit(
      c,
      { userId: user.id, merchantId: user.merchantId },
      "dashboard.role_changed",
      changed.id,
      {
        from: before.role,
        to: changed.role,
      },
    );
    return c.json(userView(changed));
  });
