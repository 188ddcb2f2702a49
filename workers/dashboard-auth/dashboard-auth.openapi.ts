import { z } from "zod";
import { livemode, prefixedId, resource, unixSeconds } from "../openapi/fields.js";
import type { Operation } from "../openapi/operation.js";
import {
  changePasswordSchema,
  createUserSchema,
  modeSchema,
  signInSchema,
  totpCodeSchema,
  updateUserSchema,
} from "./dashboard-auth.schemas.js";

export const DashboardUser = resource(
  "DashboardUser",
  z.strictObject({
    id: prefixedId("usr"),
    object: z.literal("dashboard_user"),
    merchant_id: prefixedId("acct"),
    email: z.string(),
    role: z.enum(["admin", "developer", "read_only"]),
    totp_enabled: z.boolean().describe("Whether sign-in asks for an authenticator code."),
    created: unixSeconds,
    password_changed: unixSeconds,
  }),
  "A person who signs in to a merchant's dashboard (apart from its API keys).",
);

const DashboardSession = resource(
  "DashboardSession",
  z.strictObject({
    object: z.literal("dashboard_session"),
    user: DashboardUser,
    merchant_id: prefixedId("acct"),
    mode: z.enum(["test", "live"]).describe("Which mode's objects `/v1` shows through this session."),
    livemode,
    csrf_token: z.string().describe("Send it back as `X-CSRF-Token` on every change made through the session."),
    expires_at: unixSeconds.describe("When the session ends unless used again (30 min idle, 12 h at most)."),
  }),
  "The signed-in dashboard session.",
);

const TotpEnrolment = resource(
  "TotpEnrolment",
  z.strictObject({
    object: z.literal("totp_enrolment"),
    secret: z.string().describe("The base32 shared secret, shown only in this answer."),
    otpauth_uri: z.string().describe("The `otpauth://totp/...` URI an authenticator app scans."),
  }),
  "A second factor waiting for its first code.",
);

const DashboardUserList = resource(
  "DashboardUserList",
  z.strictObject({ object: z.literal("list"), data: z.array(DashboardUser), has_more: z.boolean() }),
  "The merchant's dashboard users.",
);

export const dashboardAuthResources = [DashboardUser, DashboardSession, TotpEnrolment, DashboardUserList];

const session = { kind: "dashboard_session" } as const;
const tag = "Dashboard";
const sessionBody = { resource: "DashboardSession" } as const;

export const dashboardAuthOperations: Operation[] = [
  {
    method: "post",
    path: "/dashboard/api/session",
    operationId: "signIn",
    tag,
    summary: "Sign in to the dashboard",
    description:
      "Checks the email and password (and the authenticator code when the user has one), then sets a new session cookie. Five failures per email in 15 minutes, or twenty per address, are answered 429 until the window ends. Only from the gateway's own origin.",
    auth: { kind: "none" },
    body: signInSchema,
    success: { status: 201, description: "Signed in; the cookie is set.", body: sessionBody },
    errors: ["sign_in_failed", "totp_required", "totp_invalid", "origin_not_allowed", "rate_limit_error"],
  },
  {
    method: "get",
    path: "/dashboard/api/session",
    operationId: "retrieveSession",
    tag,
    summary: "Retrieve the signed-in session",
    auth: session,
    success: { status: 200, description: "The session and its CSRF token.", body: sessionBody },
  },
  {
    method: "delete",
    path: "/dashboard/api/session",
    operationId: "signOut",
    tag,
    summary: "Sign out",
    auth: session,
    success: { status: 204, description: "The session is destroyed and the cookie cleared." },
  },
  {
    method: "put",
    path: "/dashboard/api/session/mode",
    operationId: "switchMode",
    tag,
    summary: "Switch between test and live mode",
    auth: session,
    body: modeSchema,
    success: { status: 200, description: "The session, in its new mode.", body: sessionBody },
  },
  {
    method: "put",
    path: "/dashboard/api/session/password",
    operationId: "changePassword",
    tag,
    summary: "Change your password",
    auth: session,
    body: changePasswordSchema,
    success: { status: 200, description: "Changed.", body: sessionBody },
    errors: ["sign_in_failed"],
  },
  {
    method: "post",
    path: "/dashboard/api/session/totp",
    operationId: "enrolTotp",
    tag,
    summary: "Enrol an authenticator app",
    auth: session,
    success: { status: 201, description: "The secret, shown once.", body: { resource: "TotpEnrolment" } },
  },
  {
    method: "post",
    path: "/dashboard/api/session/totp/confirm",
    operationId: "confirmTotp",
    tag,
    summary: "Confirm the authenticator with its first code",
    auth: session,
    body: totpCodeSchema,
    success: { status: 200, description: "Sign-in now asks for a code.", body: { resource: "DashboardUser" } },
    errors: ["totp_invalid"],
  },
  {
    method: "post",
    path: "/dashboard/api/session/totp/disable",
    operationId: "disableTotp",
    tag,
    summary: "Turn the authenticator off",
    auth: session,
    body: totpCodeSchema,
    success: { status: 200, description: "Sign-in no longer asks for a code.", body: { resource: "DashboardUser" } },
    errors: ["totp_invalid"],
  },
  {
    method: "get",
    path: "/dashboard/api/users",
    operationId: "listDashboardUsers",
    tag,
    summary: "List your merchant's dashboard users",
    auth: session,
    success: { status: 200, description: "The users.", body: { resource: "DashboardUserList" } },
  },
  {
    method: "post",
    path: "/dashboard/api/users",
    operationId: "createDashboardUser",
    tag,
    summary: "Add a dashboard user (admins)",
    auth: session,
    body: createUserSchema,
    success: { status: 201, description: "The new user.", body: { resource: "DashboardUser" } },
    errors: ["dashboard_user_exists"],
  },
  {
    method: "patch",
    path: "/dashboard/api/users/{id}",
    operationId: "updateDashboardUser",
    tag,
    summary: "Change a dashboard user's role (admins)",
    auth: session,
    body: updateUserSchema,
    success: { status: 200, description: "The user.", body: { resource: "DashboardUser" } },
    errors: ["resource_missing"],
  },
  {
    method: "post",
    path: "/v1/merchants/{id}/dashboard_users",
    operationId: "opsCreateDashboardUser",
    tag: "Ops: merchants",
    summary: "Create a merchant's dashboard user",
    auth: { kind: "ops", scope: "merchants:write" },
    body: createUserSchema,
    success: { status: 201, description: "The new user.", body: { resource: "DashboardUser" } },
    errors: ["resource_missing", "dashboard_user_exists"],
  },
];
