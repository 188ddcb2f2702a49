import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { apiKeysPage } from "./api-keys.page.js";
import { balancePage } from "./balance.page.js";
import { type AppRef, dashboardApi } from "./dashboard-api.js";
import { renderPage, safeNext, signedInPage } from "./dashboard-page.js";
import { disputesPage } from "./disputes.page.js";
import { eventsPage } from "./events.page.js";
import { homePage } from "./home.page.js";
import { LoginPage } from "./login.page.js";
import { newNonce } from "./page-policy.js";
import { paymentDetailPage } from "./payment-detail.page.js";
import { paymentsListPage } from "./payments-list.page.js";
import { refundsPage } from "./refunds.page.js";
import { requestLogsPage } from "./request-logs.page.js";
import { routingPage } from "./routing.page.js";
import { webhooksPage } from "./webhooks.page.js";

/**
 * The merchant dashboard's pages (issue 18 item 2), mounted at `/dashboard`: server-rendered
 * Hono JSX, each drawn from the same `/v1` API the session reaches (the app is passed in lazily,
 * as the pages run on it). `/dashboard/api/*` (the session and users API) is mounted beside them.
 */
export function dashboardPageRoutes(app: AppRef) {
  return new Hono<AppEnv>()
    .get("/login", async (c) => {
      const next = safeNext(c.req.query("next"));
      const current = await dashboardApi(c, app)("/dashboard/api/session");
      if (current.status === 200) return c.redirect(next, 302);
      const nonce = newNonce();
      return renderPage(c, nonce, LoginPage({ nonce, next }));
    })
    .get("/", signedInPage(app, homePage))
    .get("/payments", signedInPage(app, paymentsListPage))
    .get("/payments/:id", signedInPage(app, paymentDetailPage))
    .get("/events", signedInPage(app, eventsPage))
    .get("/webhooks", signedInPage(app, webhooksPage))
    .get("/api_keys", signedInPage(app, apiKeysPage))
    .get("/refunds", signedInPage(app, refundsPage))
    .get("/disputes", signedInPage(app, disputesPage))
    .get("/balance", signedInPage(app, balancePage))
    .get("/request_logs", signedInPage(app, requestLogsPage))
    .get("/routing", signedInPage(app, routingPage));
}
