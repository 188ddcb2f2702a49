import { sql } from "drizzle-orm";
import { bigint, check, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { merchants } from "./merchants.js";

/** What a dashboard user may do (workers/dashboard-auth/role-policy.ts enforces it on every request). */
export const DASHBOARD_ROLES = ["admin", "developer", "read_only"] as const;
export type DashboardRole = (typeof DASHBOARD_ROLES)[number];

/**
 * The people who sign in to a merchant's dashboard, apart from its API keys. `email` is stored
 * lowercased and unique per merchant. `password_hash` is a PHC string (argon2id, never the
 * password: PCI DSS 8.3.2). `totp_secret` is the RFC 6238 shared secret, which must be usable to
 * compute codes, so it is sealed (AES-GCM under a key derived from DASHBOARD_SESSION_SECRET,
 * bound to the user id) as webhook secrets are; it counts only once `totp_enabled_at` is set
 * (the user proved a code). `totp_last_step` is the last time step accepted, so a code is never
 * accepted twice (RFC 6238 §5.2).
 */
export const dashboardUsers = pgTable(
  "dashboard_users",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").$type<DashboardRole>().notNull(),
    totpSecret: text("totp_secret"),
    totpEnabledAt: timestamp("totp_enabled_at", { withTimezone: true, mode: "date" }),
    totpLastStep: bigint("totp_last_step", { mode: "number" }),
    createdAt: createdAt(),
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("dashboard_users_merchant_email").on(t.merchantId, t.email),
    index("dashboard_users_email").on(t.email),
    check("dashboard_users_role", sql`${t.role} in ('admin', 'developer', 'read_only')`),
    check("dashboard_users_email_lowercase", sql`${t.email} = lower(${t.email})`),
    check("dashboard_users_password_phc", sql`${t.passwordHash} like '$argon2id$%'`),
  ],
);
