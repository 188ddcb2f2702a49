import { DurableObject } from "cloudflare:workers";
import { type DashboardMode, type SessionData, sessionEndsAt } from "./dashboard-session.types.js";

const KEY = "session";

/**
 * One dashboard session, named by its random id (workers/dashboard-auth/session-store.ts).
 * A Durable Object rather than KV: sign-out and expiry must take effect at once everywhere
 * (KV is eventually consistent for up to a minute, so a stolen cookie would outlive its sign-out),
 * and the idle clock is a write on every request, which KV limits to one per second per key.
 * The alarm erases the session at its end, so nothing lingers for an attacker to revive.
 */
export class DashboardSessionObject extends DurableObject<Env> {
  /** Starts the session this object holds (a fresh id: nothing was here before). */
  async open(session: SessionData): Promise<void> {
    await this.ctx.storage.put(KEY, session);
    await this.ctx.storage.setAlarm(sessionEndsAt(session));
  }

  /**
   * The session if it is still alive at `now`, its idle clock restarted; null once it has ended
   * (and then it is erased).
   */
  async touch(now = Date.now()): Promise<SessionData | null> {
    const session = await this.ctx.storage.get<SessionData>(KEY);
    if (!session) return null;
    if (sessionEndsAt(session) <= now) {
      await this.ctx.storage.deleteAll();
      return null;
    }
    const touched = { ...session, lastSeenAt: now };
    await this.ctx.storage.put(KEY, touched);
    await this.ctx.storage.setAlarm(sessionEndsAt(touched));
    return touched;
  }

  async setMode(mode: DashboardMode, now = Date.now()): Promise<SessionData | null> {
    const session = await this.touch(now);
    if (!session) return null;
    const changed = { ...session, mode };
    await this.ctx.storage.put(KEY, changed);
    return changed;
  }

  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  override async alarm(): Promise<void> {
    const session = await this.ctx.storage.get<SessionData>(KEY);
    if (!session) return;
    const endsAt = sessionEndsAt(session);
    if (endsAt <= Date.now()) await this.ctx.storage.deleteAll();
    else await this.ctx.storage.setAlarm(endsAt);
  }
}
