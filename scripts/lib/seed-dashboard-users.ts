import { and, eq } from "drizzle-orm";
import { randomBase62 } from "../../common/ids.js";
import { type DashboardRole, dashboardUsers } from "../../db/schema/index.js";
import { insertUser, setPassword } from "../../workers/dashboard-auth/dashboard-users.repository.js";
import { verifyPassword } from "../../workers/dashboard-auth/password-hash.js";
import type { Database } from "../../workers/db/database.js";

/** The demo merchant's dashboard logins, remembered in `.data/dev.json` and printed by `npm start`. */
export interface DemoDashboardLogins {
  dashboard_email: string;
  dashboard_password: string;
  dashboard_readonly_email: string;
  dashboard_readonly_password: string;
}

/**
 * A demo user with `role` whose password is `remembered` if that still signs in, else a fresh
 * random one (first run, or someone changed it). The role is put back too, so the printed login
 * always does what the banner says.
 */
async function demoUser(
  db: Database,
  merchantId: string,
  email: string,
  role: DashboardRole,
  remembered: string | undefined,
): Promise<string> {
  const [user] = await db
    .select()
    .from(dashboardUsers)
    .where(and(eq(dashboardUsers.merchantId, merchantId), eq(dashboardUsers.email, email)));
  if (user && remembered && verifyPassword(remembered, user.passwordHash)) {
    if (user.role !== role) await db.update(dashboardUsers).set({ role }).where(eq(dashboardUsers.id, user.id));
    return remembered;
  }
  const password = randomBase62(20);
  if (user) {
    await setPassword(db, user.id, password);
    await db.update(dashboardUsers).set({ role }).where(eq(dashboardUsers.id, user.id));
  } else {
    await insertUser(db, { merchantId, email, password, role });
  }
  return password;
}

/** Makes sure the demo merchant has an admin and a read-only dashboard user; running it twice changes nothing. */
export async function seedDashboardUsers(
  db: Database,
  merchantId: string,
  previous: Partial<DemoDashboardLogins>,
): Promise<DemoDashboardLogins> {
  const admin = "demo@example.com";
  const reader = "readonly@example.com";
  return {
    dashboard_email: admin,
    dashboard_password: await demoUser(db, merchantId, admin, "admin", previous.dashboard_password),
    dashboard_readonly_email: reader,
    dashboard_readonly_password: await demoUser(
      db,
      merchantId,
      reader,
      "read_only",
      previous.dashboard_readonly_password,
    ),
  };
}
