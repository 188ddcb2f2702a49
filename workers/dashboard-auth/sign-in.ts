import type { Context } from "hono";
import type { z } from "zod";
import type { SessionData } from "../../durable-objects/dashboard-session/dashboard-session.types.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { assertSameOrigin } from "./csrf.js";
import { recordDashboardAudit, recordFailedSignIn } from "./dashboard-audit.js";
import type { signInSchema } from "./dashboard-auth.schemas.js";
import {
  consumeTotpStep,
  type DashboardUserRow,
  findSessionUser,
  findUserByEmail,
} from "./dashboard-users.repository.js";
import { burnPasswordCheck, verifyPassword } from "./password-hash.js";
import { readSessionCookie, writeSessionCookie } from "./session-cookie.js";
import { destroySession, newCsrfToken, newSessionId, openSession } from "./session-store.js";
import { assertSignInAllowed, countSignInFailure } from "./sign-in-throttle.js";
import { totpStep } from "./totp.js";
import { openTotpSecret } from "./totp-secret-seal.js";

type SignIn = z.output<typeof signInSchema>;

/**
 * The user the email names and whether the password is theirs (and their merchant active); as
 * slow for an email no user has as for one a user has.
 */
async function checkPassword(c: Context<AppEnv>, input: SignIn): Promise<{ user?: DashboardUserRow; ok: boolean }> {
  const db = await c.var.db();
  const user = await findUserByEmail(db, input.email, input.merchant);
  if (!user) return { ok: burnPasswordCheck(input.password) };
  if (!verifyPassword(input.password, user.passwordHash)) return { user, ok: false };
  const found = await findSessionUser(db, user.id);
  return { user, ok: found?.merchantStatus === "active" };
}

/** The second factor, when the user has one: a current code, never one already used. */
async function checkSecondFactor(c: Context<AppEnv>, user: DashboardUserRow, code: string | undefined) {
  if (!user.totpEnabledAt || !user.totpSecret) return;
  if (!code) {
    await recordFailedSignIn(c, user, user.email, "totp_missing");
    throw new ApiError("totp_required", { param: "totp" });
  }
  const secret = await openTotpSecret(c.env, user.id, user.totpSecret);
  const step = totpStep(secret, user.email, code);
  if (step === null || !(await consumeTotpStep(await c.var.db(), user.id, step, false))) {
    await recordFailedSignIn(c, user, user.email, "totp_invalid");
    await countSignInFailure(c.env, user.email, c.req.header("CF-Connecting-IP"));
    throw new ApiError("totp_invalid", { param: "totp" });
  }
}

/**
 * Signs a user in: same origin only (no login CSRF), throttled (sign-in-throttle.ts), the
 * password checked in constant time, then the second factor. A new session id every time, and
 * the session the browser came with destroyed (OWASP: renew the id on sign-in, against session
 * fixation). Every outcome goes to the audit trail.
 */
export async function signIn(
  c: Context<AppEnv>,
  input: SignIn,
): Promise<{ user: DashboardUserRow; session: SessionData }> {
  assertSameOrigin(c);
  const address = c.req.header("CF-Connecting-IP");
  try {
    await assertSignInAllowed(c.env, input.email, address);
  } catch (error) {
    await recordFailedSignIn(c, undefined, input.email, "throttled");
    throw error;
  }
  const { user, ok } = await checkPassword(c, input);
  if (!user || !ok) {
    await recordFailedSignIn(c, user, input.email, "password");
    await countSignInFailure(c.env, input.email, address);
    throw new ApiError("sign_in_failed");
  }
  await checkSecondFactor(c, user, input.totp);

  const previous = await readSessionCookie(c);
  if (previous) await destroySession(c.env, previous);
  const now = Date.now();
  const session: SessionData = {
    merchantId: user.merchantId,
    userId: user.id,
    email: user.email,
    role: user.role,
    mode: "test",
    csrfToken: newCsrfToken(),
    createdAt: now,
    lastSeenAt: now,
  };
  const sessionId = newSessionId();
  await openSession(c.env, sessionId, session);
  await writeSessionCookie(c, sessionId);
  c.set("apiKey", {
    id: user.id,
    merchantId: user.merchantId,
    type: "secret",
    livemode: false,
    allowedIps: [],
    rollingOver: false,
    dashboardRole: user.role,
  });
  await recordDashboardAudit(c, { userId: user.id, merchantId: user.merchantId }, "dashboard.sign_in", user.id, {
    second_factor: user.totpEnabledAt !== null,
  });
  return { user, session };
}
