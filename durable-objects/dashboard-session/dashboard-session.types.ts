/** Which of the merchant's data a dashboard session looks at (Stripe's test/live switch). */
export type DashboardMode = "test" | "live";

/** What a dashboard session remembers between requests; never a password or a TOTP secret. */
export interface SessionData {
  merchantId: string;
  userId: string;
  email: string;
  role: "admin" | "developer" | "read_only";
  mode: DashboardMode;
  /** The synchronizer token mutations must echo in `X-CSRF-Token` (OWASP CSRF cheat sheet). */
  csrfToken: string;
  /** Epoch ms. */
  createdAt: number;
  lastSeenAt: number;
}

/**
 * OWASP's session management guidance for a high-value application: 30 minutes idle, 12 hours at
 * most however active (ASVS 3.3.1 / 3.3.2), after which the user signs in again.
 */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;

/** When a session ends if nothing else happens: the earlier of its idle and absolute ends. */
export function sessionEndsAt(session: Pick<SessionData, "createdAt" | "lastSeenAt">): number {
  return Math.min(session.lastSeenAt + SESSION_IDLE_MS, session.createdAt + SESSION_ABSOLUTE_MS);
}
