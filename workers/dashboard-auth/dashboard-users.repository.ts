import { and, asc, eq, isNull, lt, or } from "drizzle-orm";
import { randomBase62 } from "../../common/ids.js";
import { type DashboardRole, dashboardUsers, merchants } from "../../db/schema/index.js";
import type { Database } from "../db/database.js";
import { hashPassword } from "./password-hash.js";

export type DashboardUserRow = typeof dashboardUsers.$inferSelect;

/** `usr_` + 24 base62 characters, like every other id (common/ids.ts). */
export const newUserId = () => `usr_${randomBase62(24)}`;

/** Emails are compared lowercased and trimmed (RFC 5321 lets the local part be case-sensitive; no provider is). */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/**
 * The user an email signs in as. One email may hold a user at several merchants; without
 * `merchantId` the oldest is meant, so a sign-in names the merchant when it is not that one.
 */
export async function findUserByEmail(
  db: Database,
  email: string,
  merchantId?: string,
): Promise<DashboardUserRow | undefined> {
  const byEmail = eq(dashboardUsers.email, normalizeEmail(email));
  const [row] = await db
    .select()
    .from(dashboardUsers)
    .where(merchantId ? and(byEmail, eq(dashboardUsers.merchantId, merchantId)) : byEmail)
    .orderBy(asc(dashboardUsers.createdAt))
    .limit(1);
  return row;
}

export async function findUser(db: Database, id: string): Promise<DashboardUserRow | undefined> {
  const [row] = await db.select().from(dashboardUsers).where(eq(dashboardUsers.id, id)).limit(1);
  return row;
}

export async function listUsers(db: Database, merchantId: string): Promise<DashboardUserRow[]> {
  return db
    .select()
    .from(dashboardUsers)
    .where(eq(dashboardUsers.merchantId, merchantId))
    .orderBy(asc(dashboardUsers.createdAt));
}

/** A new user, or undefined when the merchant already has one with this email. */
export async function insertUser(
  db: Database,
  input: { merchantId: string; email: string; password: string; role: DashboardRole; id?: string },
): Promise<DashboardUserRow | undefined> {
  const [row] = await db
    .insert(dashboardUsers)
    .values({
      id: input.id ?? newUserId(),
      merchantId: input.merchantId,
      email: normalizeEmail(input.email),
      passwordHash: hashPassword(input.password),
      role: input.role,
    })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function setRole(db: Database, merchantId: string, id: string, role: DashboardRole) {
  const [row] = await db
    .update(dashboardUsers)
    .set({ role })
    .where(and(eq(dashboardUsers.id, id), eq(dashboardUsers.merchantId, merchantId)))
    .returning();
  return row;
}

export async function setPassword(db: Database, id: string, password: string): Promise<void> {
  await db
    .update(dashboardUsers)
    .set({ passwordHash: hashPassword(password), passwordChangedAt: new Date() })
    .where(eq(dashboardUsers.id, id));
}

/** Stores a sealed secret awaiting its first code; a factor already enabled stays as it is until disabled. */
export async function setPendingTotp(db: Database, id: string, sealed: string): Promise<void> {
  await db
    .update(dashboardUsers)
    .set({ totpSecret: sealed, totpEnabledAt: null, totpLastStep: null })
    .where(eq(dashboardUsers.id, id));
}

export async function disableTotp(db: Database, id: string): Promise<void> {
  await db
    .update(dashboardUsers)
    .set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null })
    .where(eq(dashboardUsers.id, id));
}

/**
 * Records `step` as used, only if it is later than any step used before, in one statement:
 * two requests racing with the same code cannot both win (RFC 6238 §5.2). Enables the factor
 * on its first code. False when the step was already used.
 */
export async function consumeTotpStep(db: Database, id: string, step: number, enable: boolean): Promise<boolean> {
  const rows = await db
    .update(dashboardUsers)
    .set(enable ? { totpLastStep: step, totpEnabledAt: new Date() } : { totpLastStep: step })
    .where(
      and(eq(dashboardUsers.id, id), or(isNull(dashboardUsers.totpLastStep), lt(dashboardUsers.totpLastStep, step))),
    )
    .returning({ id: dashboardUsers.id });
  return rows.length === 1;
}

/** A signed-in user as a request through its session needs it: fresh role, and its merchant's state. */
export async function findSessionUser(db: Database, id: string) {
  const [found] = await db
    .select({
      user: dashboardUsers,
      merchantStatus: merchants.status,
      merchantRateLimits: merchants.rateLimits,
      merchantApiVersion: merchants.apiVersion,
    })
    .from(dashboardUsers)
    .innerJoin(merchants, eq(merchants.id, dashboardUsers.merchantId))
    .where(eq(dashboardUsers.id, id))
    .limit(1);
  return found;
}
