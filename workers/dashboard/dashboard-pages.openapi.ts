import { z } from "zod";
import type { Operation } from "../openapi/operation.js";

const html = (description: string) => ({ description, body: { schema: z.string(), contentType: "text/html" } });

const PAGES: [path: string, operationId: string, summary: string][] = [
  ["/dashboard", "dashboardHome", "Home: volume, authorization rate, declines, processors"],
  ["/dashboard/payments", "dashboardPayments", "Payments, filtered and searched"],
  ["/dashboard/payments/{id}", "dashboardPayment", "A payment: timeline, attempts, actions"],
  ["/dashboard/refunds", "dashboardRefunds", "Refunds"],
  ["/dashboard/disputes", "dashboardDisputes", "Disputes and their evidence"],
  ["/dashboard/balance", "dashboardBalance", "Balance and settlements"],
  ["/dashboard/events", "dashboardEvents", "Events"],
  ["/dashboard/webhooks", "dashboardWebhooks", "Webhook endpoints, deliveries and resends"],
  ["/dashboard/api_keys", "dashboardApiKeys", "API keys: create, roll, revoke"],
  ["/dashboard/request_logs", "dashboardRequestLogs", "Request logs"],
  ["/dashboard/routing", "dashboardRouting", "Routing rules"],
];

/**
 * The dashboard's pages (workers/dashboard/): HTML for a person's browser, drawn from the `/v1`
 * operations above through the session; listed so the reference names every route served.
 */
export const dashboardPageOperations: Operation[] = [
  {
    method: "get",
    path: "/dashboard/login",
    operationId: "dashboardLogin",
    tag: "Dashboard",
    summary: "The dashboard's sign-in page (a browser only)",
    description: "Already signed in: a redirect to `next` (a dashboard page only) or the home page.",
    auth: { kind: "none" },
    success: { status: 200, ...html("The page; its script signs in with `POST /dashboard/api/session`.") },
  },
  ...PAGES.map(
    ([path, operationId, summary]): Operation => ({
      method: "get",
      path,
      operationId,
      tag: "Dashboard",
      summary: `${summary} (a browser only)`,
      description:
        "Without a session: a 302 to `/dashboard/login?next=...`. The page reads the `/v1` API as the session's user, in its mode.",
      auth: { kind: "dashboard_session" },
      success: { status: 200, ...html("The page.") },
    }),
  ),
];
