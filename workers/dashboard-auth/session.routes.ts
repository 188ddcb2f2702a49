import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { readJsonBody } from "../validation/request-body.js";
import { recordDashboardAudit } from "./dashboard-audit.js";
import { changePasswordSchema, modeSchema, signInSchema } from "./dashboard-auth.schemas.js";
import { sessionView } from "./dashboard-auth.view.js";
import { dashboardSession, signedIn } from "./dashboard-session.js";
import { findUser, setPassword } from "./dashboard-users.repository.js";
import { verifyPassword } from "./password-hash.js";
import { clearSessionCookie } from "./session-cookie.js";
import { destroySession, switchMode } from "./session-store.js";
import { signIn } from "./sign-in.js";
import { totpRoutes } from "./totp.routes.js";

/**
 * The dashboard's session, JSON only, mounted at `/dashboard/api/session`: sign in, see who is
 * signed in (with the CSRF token the pages send back), switch test/live mode, change the password,
 * sign out. Everything but sign-in needs the session; changes need its CSRF token.
 */
export const sessionRoutes = new Hono<AppEnv>()
  .post("/", async (c) => {
    const { user, session } = await signIn(c, await readJsonBody(c, signInSchema));
    return c.json(sessionView(session, user), 201);
  })
  .get("/", dashboardSession(), (c) => {
    const { session, user } = signedIn(c);
    return c.json(sessionView(session, user));
  })
  .delete("/", dashboardSession(), async (c) => {
    const { sessionId, user } = signedIn(c);
    await destroySession(c.env, sessionId);
    clearSessionCookie(c);
    await recordDashboardAudit(c, { userId: user.id, merchantId: user.merchantId }, "dashboard.sign_out", user.id);
    return c.body(null, 204);
  })
  .put("/mode", dashboardSession(), async (c) => {
    const { mode } = await readJsonBody(c, modeSchema);
    const { sessionId, user } = signedIn(c);
    const session = await switchMode(c.env, sessionId, mode);
    if (!session) throw new ApiError("session_missing");
    return c.json(sessionView(session, user));
  })
  .put("/password", dashboardSession(), async (c) => {
    const body = await readJsonBody(c, changePasswordSchema);
    const { session, user } = signedIn(c);
    if (!verifyPassword(body.current_password, user.passwordHash)) {
      throw new ApiError("sign_in_failed", {
        param: "current_password",
        message: "The current password is incorrect.",
      });
    }
    const db = await c.var.db();
    await setPassword(db, user.id, body.new_password);
    await recordDashboardAudit(
      c,
      { userId: user.id, merchantId: user.merchantId },
      "dashboard.password_changed",
      user.id,
    );
    const changed = await findUser(db, user.id);
    return c.json(sessionView(session, changed ?? user));
  })
  .route("/totp", totpRoutes);
