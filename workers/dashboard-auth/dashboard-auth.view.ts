import type { SessionData } from "../../durable-objects/dashboard-session/dashboard-session.types.js";
import { sessionEndsAt } from "../../durable-objects/dashboard-session/dashboard-session.types.js";
import type { DashboardUserRow } from "./dashboard-users.repository.js";

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** A dashboard user as the API shows it: never its password hash or TOTP secret. */
export function userView(user: DashboardUserRow) {
  return {
    id: user.id,
    object: "dashboard_user" as const,
    merchant_id: user.merchantId,
    email: user.email,
    role: user.role,
    totp_enabled: user.totpEnabledAt !== null,
    created: seconds(user.createdAt),
    password_changed: seconds(user.passwordChangedAt),
  };
}

/** The signed-in session: who, which mode, the CSRF token the page sends back, and when it ends. */
export function sessionView(session: SessionData, user: DashboardUserRow) {
  return {
    object: "dashboard_session" as const,
    user: userView(user),
    merchant_id: session.merchantId,
    mode: session.mode,
    livemode: session.mode === "live",
    csrf_token: session.csrfToken,
    expires_at: Math.floor(sessionEndsAt(session) / 1000),
  };
}
