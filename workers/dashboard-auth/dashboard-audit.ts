import type { Context } from "hono";
import { sha256Hex } from "../../common/sha256-hex.js";
import type { AppEnv } from "../app-env.js";
import type { AuditEntry } from "../audit/audit-entry.js";
import { recordAuditAs } from "../audit/audit-log.js";
import { clientAddress } from "../rate-limits/client-address.js";

/**
 * The dashboard's entries in the audit trail (PCI DSS 10.2.1.4 invalid access attempts, 10.2.1.5
 * changes to identification and authentication, 10.2.2 who): sign-ins that worked and that did
 * not, sign-outs, second-factor enrolment and removal, password and role changes, users made.
 * The actor is the user who acted; never a password or an authentication code.
 */
export type DashboardAction =
  | "dashboard.sign_in"
  | "dashboard.sign_in_failed"
  | "dashboard.sign_out"
  | "dashboard.totp_enrolled"
  | "dashboard.totp_disabled"
  | "dashboard.password_changed"
  | "dashboard.user_created"
  | "dashboard.role_changed";

export async function recordDashboardAudit(
  c: Context<AppEnv>,
  actor: { userId: string; merchantId: string },
  action: DashboardAction,
  targetId: string,
  details: AuditEntry["details"] = {},
): Promise<void> {
  await recordAuditAs(
    c,
    { kind: "dashboard_user", id: actor.userId, merchant_id: actor.merchantId },
    action,
    targetId,
    { client: clientAddress(c.req.header("CF-Connecting-IP")), ...details },
  );
}

/**
 * A sign-in that failed. When the email names no user there is no actor to name: the entry keeps
 * the email's hash (to correlate a guessing run) rather than whatever was typed, which is
 * sometimes a password pasted in the wrong field.
 */
export async function recordFailedSignIn(
  c: Context<AppEnv>,
  user: { id: string; merchantId: string } | undefined,
  email: string,
  reason: "password" | "totp_missing" | "totp_invalid" | "throttled",
): Promise<void> {
  const actor = user ? { userId: user.id, merchantId: user.merchantId } : { userId: "unknown", merchantId: "" };
  await recordAuditAs(
    c,
    { kind: "dashboard_user", id: actor.userId, merchant_id: user ? actor.merchantId : null },
    "dashboard.sign_in_failed",
    user?.id ?? "unknown",
    {
      reason,
      email_sha256: user ? null : await sha256Hex(email),
      client: clientAddress(c.req.header("CF-Connecting-IP")),
    },
  );
}
