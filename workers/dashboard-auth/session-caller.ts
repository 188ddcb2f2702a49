import type { Context } from "hono";
import type { SessionData } from "../../durable-objects/dashboard-session/dashboard-session.types.js";
import type { AppEnv, AuthenticatedKey } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import type { GroupLimit } from "../rate-limits/endpoint-groups.js";
import type { ApiVersion } from "../versions/api-versions.js";
import { assertCsrf } from "./csrf.js";
import { type DashboardUserRow, findSessionUser } from "./dashboard-users.repository.js";
import { roleAllows } from "./role-policy.js";
import { clearSessionCookie, readSessionCookie } from "./session-cookie.js";
import { loadSession } from "./session-store.js";

/** A request made through a dashboard session, checked and ready to act as its merchant. */
export interface SessionCaller {
  sessionId: string;
  session: SessionData;
  user: DashboardUserRow;
  caller: AuthenticatedKey;
  rateLimits: Partial<Record<string, GroupLimit>>;
  apiVersion: ApiVersion;
}

/** Whether the request carries a session cookie at all (then it is to be judged as a session). */
export function presentsSession(c: Context<AppEnv>): boolean {
  return /(?:^|;\s*)(?:__Host-)?gw_session=/.test(c.req.header("Cookie") ?? "");
}

function ended(c: Context<AppEnv>): ApiError {
  clearSessionCookie(c);
  return new ApiError("session_missing");
}

/**
 * The dashboard user behind this request's session cookie, checked in order: the cookie's
 * signature, the session still alive (idle and absolute clocks), CSRF on changes, the user and
 * its merchant still active, and the user's current role allowing this method and path (read
 * fresh from Postgres each time, so a demotion or removal takes effect on the next request). The
 * caller it yields is shaped as an API key's, so every `/v1` route serves the session unchanged:
 * the same API, never a second one.
 */
export async function sessionCaller(c: Context<AppEnv>): Promise<SessionCaller> {
  const sessionId = await readSessionCookie(c);
  if (!sessionId) throw ended(c);
  const session = await loadSession(c.env, sessionId);
  if (!session) throw ended(c);
  assertCsrf(c, session);
  const found = await findSessionUser(await c.var.db(), session.userId);
  if (!found || found.user.merchantId !== session.merchantId || found.merchantStatus !== "active") throw ended(c);
  if (!roleAllows(found.user.role, c.req.method, c.req.path)) {
    throw new ApiError("role_not_allowed", {
      message: `Your dashboard role (${found.user.role}) does not allow ${c.req.method} ${c.req.path}.`,
    });
  }
  return {
    sessionId,
    session,
    user: found.user,
    caller: {
      id: found.user.id,
      merchantId: found.user.merchantId,
      type: "secret",
      livemode: session.mode === "live",
      allowedIps: [],
      rollingOver: false,
      dashboardRole: found.user.role,
    },
    rateLimits: found.merchantRateLimits,
    apiVersion: found.merchantApiVersion,
  };
}
