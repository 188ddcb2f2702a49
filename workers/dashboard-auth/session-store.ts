import { randomBytesFromPool } from "../../common/random-pool.js";
import { sha256Hex } from "../../common/sha256-hex.js";
import type { DashboardMode, SessionData } from "../../durable-objects/dashboard-session/dashboard-session.types.js";

/**
 * Dashboard sessions in their Durable Objects. A session id is 32 random bytes (256 bits; OWASP
 * asks at least 64 bits of entropy), base64url. The object is named by the id's SHA-256, so an
 * object name seen in logs or metrics is not a credential.
 */
type SessionEnv = Pick<Env, "DASHBOARD_SESSIONS">;

const toB64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");

export const newSessionId = () => toB64Url(randomBytesFromPool(32));
export const newCsrfToken = () => toB64Url(randomBytesFromPool(32));

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

async function sessionObject(env: SessionEnv, sessionId: string) {
  return env.DASHBOARD_SESSIONS.getByName(await sha256Hex(`dashboard-session:${sessionId}`));
}

export async function openSession(env: SessionEnv, sessionId: string, session: SessionData): Promise<void> {
  await (await sessionObject(env, sessionId)).open(session);
}

/** The live session `sessionId` names, its idle clock restarted; null when none (ended, or never was). */
export async function loadSession(env: SessionEnv, sessionId: string): Promise<SessionData | null> {
  if (!SESSION_ID.test(sessionId)) return null;
  return (await sessionObject(env, sessionId)).touch();
}

export async function switchMode(env: SessionEnv, sessionId: string, mode: DashboardMode) {
  return (await sessionObject(env, sessionId)).setMode(mode);
}

export async function destroySession(env: SessionEnv, sessionId: string): Promise<void> {
  if (!SESSION_ID.test(sessionId)) return;
  await (await sessionObject(env, sessionId)).destroy();
}
