import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { readJsonBody } from "../validation/request-body.js";
import { recordDashboardAudit } from "./dashboard-audit.js";
import { totpCodeSchema } from "./dashboard-auth.schemas.js";
import { userView } from "./dashboard-auth.view.js";
import { dashboardSession, signedIn } from "./dashboard-session.js";
import { consumeTotpStep, disableTotp, findUser, setPendingTotp } from "./dashboard-users.repository.js";
import { newTotpSecret, totpStep, totpUri } from "./totp.js";
import { openTotpSecret, sealTotpSecret } from "./totp-secret-seal.js";

const codeRefused = () => new ApiError("totp_invalid", { param: "code" });

/**
 * The signed-in user's own second factor, at `/dashboard/api/session/totp`: enrol (the secret
 * and its `otpauth://` URI are shown this once), confirm with a first code (only then does sign-in
 * ask for codes), disable with a current code. A factor already on must be disabled, with a code,
 * before another is enrolled, so a stolen session alone cannot move it to an attacker's phone.
 */
export const totpRoutes = new Hono<AppEnv>()
  .use(dashboardSession())
  .post("/", async (c) => {
    const { user } = signedIn(c);
    if (user.totpEnabledAt) {
      throw new ApiError("parameter_invalid", {
        message: "A second factor is already enabled; disable it with a code before enrolling another.",
      });
    }
    const secret = newTotpSecret();
    await setPendingTotp(await c.var.db(), user.id, await sealTotpSecret(c.env, user.id, secret));
    return c.json({ object: "totp_enrolment", secret, otpauth_uri: totpUri(secret, user.email) }, 201);
  })
  .post("/confirm", async (c) => {
    const { code } = await readJsonBody(c, totpCodeSchema);
    const { user } = signedIn(c);
    if (!user.totpSecret || user.totpEnabledAt) {
      throw new ApiError("parameter_invalid", {
        message: "No second factor is waiting for confirmation: enrol first.",
      });
    }
    const db = await c.var.db();
    const step = totpStep(await openTotpSecret(c.env, user.id, user.totpSecret), user.email, code);
    if (step === null || !(await consumeTotpStep(db, user.id, step, true))) throw codeRefused();
    await recordDashboardAudit(c, { userId: user.id, merchantId: user.merchantId }, "dashboard.totp_enrolled", user.id);
    const enrolled = await findUser(db, user.id);
    return c.json(userView(enrolled ?? user));
  })
  .post("/disable", async (c) => {
    const { code } = await readJsonBody(c, totpCodeSchema);
    const { user } = signedIn(c);
    if (!user.totpSecret || !user.totpEnabledAt) {
      throw new ApiError("parameter_invalid", { message: "This user has no second factor enabled." });
    }
    const db = await c.var.db();
    const step = totpStep(await openTotpSecret(c.env, user.id, user.totpSecret), user.email, code);
    if (step === null || !(await consumeTotpStep(db, user.id, step, false))) throw codeRefused();
    await disableTotp(db, user.id);
    await recordDashboardAudit(c, { userId: user.id, merchantId: user.merchantId }, "dashboard.totp_disabled", user.id);
    const disabled = await findUser(db, user.id);
    return c.json(userView(disabled ?? user));
  });
