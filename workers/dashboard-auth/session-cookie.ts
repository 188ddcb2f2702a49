import type { Context } from "hono";
import { getSignedCookie, setSignedCookie } from "hono/cookie";
import type { AppEnv } from "../app-env.js";
import { dashboardKey } from "./dashboard-keys.js";

/**
 * The session cookie: the session id, signed with HMAC-SHA256 (Hono's signed cookies) under a key
 * derived from DASHBOARD_SESSION_SECRET, so a forged or altered id is refused before any lookup.
 * `HttpOnly` (no script reads it), `SameSite=Strict` (no cross-site request carries it), `Path=/`,
 * and, served over https or outside local development, the `__Host-` prefix with `Secure`
 * (RFC 6265bis §4.1.3.2: a cookie no subdomain or plain-http page can set or shadow). Local
 * development over plain http cannot hold a `Secure` cookie, so there it is `gw_session`. No
 * `Max-Age`: the cookie ends with the browser, the session object ends on its own clock.
 */
const NAME = "gw_session";

function secureContext(c: Context<AppEnv>): boolean {
  return c.env.ENVIRONMENT !== "development" || new URL(c.req.url).protocol === "https:";
}

/** The cookie's name in this context (tests and the dashboard pages read it). */
export function sessionCookieName(c: Context<AppEnv>): string {
  return secureContext(c) ? `__Host-${NAME}` : NAME;
}

async function signingKey(c: Context<AppEnv>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await dashboardKey(c.env, "session-cookie"));
}

/** The session id from a validly signed cookie; undefined when absent, forged or altered. */
export async function readSessionCookie(c: Context<AppEnv>): Promise<string | undefined> {
  if (!c.req.header("Cookie")) return undefined;
  const value = secureContext(c)
    ? await getSignedCookie(c, await signingKey(c), NAME, "host")
    : await getSignedCookie(c, await signingKey(c), NAME);
  return typeof value === "string" && value !== "" ? value : undefined;
}

export async function writeSessionCookie(c: Context<AppEnv>, sessionId: string): Promise<void> {
  const options = { httpOnly: true, sameSite: "Strict", path: "/" } as const;
  if (secureContext(c)) await setSignedCookie(c, NAME, sessionId, await signingKey(c), { ...options, prefix: "host" });
  else await setSignedCookie(c, NAME, sessionId, await signingKey(c), options);
}

/** Tells the browser to drop the cookie (the session itself is destroyed by the caller). */
export function clearSessionCookie(c: Context<AppEnv>): void {
  const secure = secureContext(c) ? "; Secure" : "";
  c.header("Set-Cookie", `${sessionCookieName(c)}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict${secure}`, {
    append: true,
  });
}
