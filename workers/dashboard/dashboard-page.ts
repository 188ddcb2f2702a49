import type { Context } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { AppEnv } from "../app-env.js";
import { type ApiErrorBody, type ApiReader, type AppRef, dashboardApi } from "./dashboard-api.js";
import { ErrorPage } from "./error.page.js";
import type { SessionInfo } from "./layout.js";
import { dashboardPolicy, newNonce } from "./page-policy.js";

/** What a signed-in page is drawn from: the request, the API as its session, and a nonce. */
export interface PageContext {
  c: Context<AppEnv>;
  read: ApiReader;
  session: SessionInfo;
  nonce: string;
}

export type PageHandler = (page: PageContext) => Promise<JSX.Element | Response>;

/** A page's answer: its own CSP (by nonce), never cached (it holds account data), HTML5 doctype. */
export async function renderPage(c: Context<AppEnv>, nonce: string, node: JSX.Element) {
  c.header("Content-Security-Policy", dashboardPolicy(nonce));
  c.header("Cache-Control", "no-store");
  // The status a page set (a 404 for a payment not found) stands.
  return c.html(`<!doctype html>${await node.toString()}`);
}

/**
 * Where sign-in may send the browser back to: a dashboard page of this origin only, so a crafted
 * `next` can never turn the sign-in page into an open redirect (OWASP unvalidated redirects).
 */
export function safeNext(next: string | undefined): string {
  return next && /^\/dashboard(?:[/?][^\\\s]*)?$/.test(next) && !next.startsWith("/dashboard/api")
    ? next
    : "/dashboard";
}

/**
 * A page behind sign-in: the session is asked of the session API (as the browser would), and
 * without one the browser goes to sign in and comes back here after (the demo shop's link to a
 * payment lands on it).
 */
export function signedInPage(app: AppRef, handler: PageHandler) {
  return async function page(c: Context<AppEnv>) {
    const read = dashboardApi(c, app);
    const found = await read<SessionInfo>("/dashboard/api/session");
    const nonce = newNonce();
    if (found.status === 401) {
      const here = new URL(c.req.url);
      return c.redirect(`/dashboard/login?next=${encodeURIComponent(here.pathname + here.search)}`, 302);
    }
    // Not a missing session (a 429, a 5xx): said as it is, never turned into a sign-in loop.
    if (found.status !== 200) {
      c.status(found.status as 429);
      const error = (found.body as unknown as ApiErrorBody).error;
      return renderPage(
        c,
        nonce,
        ErrorPage({ nonce, message: error?.message ?? "The gateway could not answer.", retry: c.req.path }),
      );
    }
    const answer = await handler({ c, read, session: found.body, nonce });
    return answer instanceof Response ? answer : renderPage(c, nonce, answer);
  };
}
