import type { Child } from "hono/jsx";
import { DASHBOARD_SCRIPT } from "./dashboard.script.js";
import { DASHBOARD_STYLE } from "./dashboard.style.js";
import { dataBlock } from "./page-policy.js";

/** `GET /dashboard/api/session`'s answer, as far as the pages use it. */
export interface SessionInfo {
  user: { id: string; email: string; role: "admin" | "developer" | "read_only" };
  merchant_id: string;
  mode: "test" | "live";
  csrf_token: string;
}

const NAV = [
  ["home", "/dashboard", "Home"],
  ["payments", "/dashboard/payments", "Payments"],
  ["refunds", "/dashboard/refunds", "Refunds"],
  ["disputes", "/dashboard/disputes", "Disputes"],
  ["balance", "/dashboard/balance", "Balance"],
  ["events", "/dashboard/events", "Events"],
  ["webhooks", "/dashboard/webhooks", "Webhooks"],
  ["api_keys", "/dashboard/api_keys", "API keys"],
  ["logs", "/dashboard/request_logs", "Request logs"],
  ["routing", "/dashboard/routing", "Routing"],
] as const;

export type Section = (typeof NAV)[number][0];

const ROLE_NAMES = { admin: "Admin", developer: "Developer", read_only: "Read only" } as const;

interface DocumentProps {
  title: string;
  nonce: string;
  config: Record<string, unknown>;
  children: Child;
}

/** The HTML document every page shares: its style, its data for the script, the script. */
export function Document({ title, nonce, config, children }: DocumentProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <link rel="icon" href="data:," />
        <title>{`${title} · Gateway dashboard`}</title>
        <style nonce={nonce} dangerouslySetInnerHTML={{ __html: DASHBOARD_STYLE }} />
      </head>
      <body>
        {children}
        <script type="application/json" id="dashboard-config" dangerouslySetInnerHTML={{ __html: dataBlock(config) }} />
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: DASHBOARD_SCRIPT }} />
      </body>
    </html>
  );
}

interface LayoutProps {
  title: string;
  nonce: string;
  session: SessionInfo;
  section: Section;
  children: Child;
}

/**
 * A signed-in page: who is signed in and in which role, the mode switch (it changes every view,
 * since every read goes through the session's mode), the "Test mode" banner, the nav, sign-out.
 */
export function Layout({ title, nonce, session, section, children }: LayoutProps) {
  const other = session.mode === "test" ? "live" : "test";
  return (
    <Document title={title} nonce={nonce} config={{ csrf: session.csrf_token, mode: session.mode }}>
      <a class="skip" href="#content">
        Skip to content
      </a>
      <header>
        <span class="brand">Gateway dashboard</span>
        <span class="who" id="who">
          {session.user.email} · {ROLE_NAMES[session.user.role]}
        </span>
        <button type="button" class="secondary" id="mode-switch" data-mode={other}>
          {other === "live" ? "Switch to live mode" : "Switch to test mode"}
        </button>
        <button type="button" class="secondary" id="sign-out">
          Sign out
        </button>
      </header>
      {session.mode === "test" ? (
        <p class="banner" id="test-banner" role="note">
          Test mode: you are viewing test data. No real money moves.
        </p>
      ) : (
        ""
      )}
      <nav aria-label="Dashboard">
        <ul>
          {NAV.map(([key, href, label]) => (
            <li>
              <a href={href} aria-current={key === section ? "page" : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="content">
        <h1>{title}</h1>
        <p class="status" id="page-status" role="status" aria-live="polite" />
        {children}
      </main>
    </Document>
  );
}

/** An API error shown where the data would have been (a 403 for the role, a 404, a 429). */
export function ApiErrorNote({ error }: { error: { code?: string; message: string } }) {
  return (
    <p class="error" role="alert" data-code={error.code ?? ""}>
      {error.message}
    </p>
  );
}
