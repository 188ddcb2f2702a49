import { Hono } from "hono";
import { apiKeyRoutes } from "./api-keys/api-keys.routes.js";
import type { AppEnv } from "./app-env.js";
import { auditChainRoutes } from "./audit/audit-chain.routes.js";
import { benchRoutes } from "./bench/bench.routes.js";
import { chaosRoutes } from "./chaos/chaos.routes.js";
import { checkoutPageRoutes } from "./checkout/checkout-page.routes.js";
import { checkoutSessionRoutes } from "./checkout/checkout-sessions.routes.js";
import { upiCallbackRoutes } from "./connectors/upi/upi-callback.routes.js";
import { walletPageRoutes } from "./connectors/wallet/wallet-pages.routes.js";
import { walletWebhookRoutes } from "./connectors/wallet/wallet-webhook.routes.js";
import { dashboardPageRoutes } from "./dashboard/dashboard-pages.routes.js";
import { opsDashboardUserRoutes } from "./dashboard-auth/ops-dashboard-users.routes.js";
import { sessionRoutes } from "./dashboard-auth/session.routes.js";
import { userRoutes } from "./dashboard-auth/users.routes.js";
import { deadLetterRoutes } from "./dead-letters/dead-letters.routes.js";
import { disputeRoutes } from "./disputes/disputes.routes.js";
import { networkDisputeRoutes } from "./disputes/network-disputes.routes.js";
import { onError, onNotFound } from "./errors/error-handler.js";
import { eventRoutes } from "./events/events.routes.js";
import { healthRoutes } from "./health/health.routes.js";
import { merchantProfileRoutes } from "./merchants/merchant-profile.routes.js";
import { opsMerchantRoutes } from "./merchants/ops-merchants.routes.js";
import { apiVersion } from "./middleware/api-version/index.js";
import { database } from "./middleware/database/index.js";
import { bodyLimit } from "./middleware/hardening/body-limit.js";
import { jsonOnly } from "./middleware/hardening/json-only.js";
import { methodNotAllowed } from "./middleware/hardening/method-not-allowed.js";
import { nullCharacters } from "./middleware/hardening/null-characters.js";
import { securityHeaders } from "./middleware/hardening/security-headers.js";
import { requestId } from "./middleware/request-id/index.js";
import { requestLog } from "./middleware/request-log/index.js";
import { serverTiming } from "./middleware/server-timing/index.js";
import { oauthRoutes } from "./oauth/oauth.routes.js";
import { openApiRoutes } from "./openapi/openapi.routes.js";
import { paymentRoutes } from "./payments/payments.routes.js";
import { refundRoutes } from "./payments/refunds.routes.js";
import { rateLimitRoutes } from "./rate-limits/rate-limits.routes.js";
import { opsReconciliationRoutes } from "./reconciliation/reconciliation.routes.js";
import { reportRoutes } from "./reports/reports.routes.js";
import { requestLogRoutes } from "./request-logs/request-logs.routes.js";
import { routingRoutes } from "./routing/routing.routes.js";
import { opsSettlementRoutes } from "./settlement/ops-settlements.routes.js";
import { balanceRoutes, balanceTransactionRoutes, settlementRoutes } from "./settlement/settlements.routes.js";
import { webhookEndpointRoutes } from "./webhooks/webhook-endpoints.routes.js";

/**
 * The edge API. Order matters: the request id exists before anything can fail, the stage clock
 * (Server-Timing) and the log line wrap everything (so they see the whole request and its final
 * status), every answer gets the security headers, a wrong method is a 405, a URL with a NUL a
 * 400, bodies are bounded and JSON before any route reads one, answers are shaped for the
 * caller's API version on the way out, and the database opens lazily.
 */
export const app: Hono<AppEnv> = new Hono<AppEnv>()
  .use(requestId())
  .use(serverTiming())
  .use(requestLog())
  .use(securityHeaders())
  .use(methodNotAllowed(() => app))
  .use(nullCharacters())
  .use(bodyLimit())
  .use(jsonOnly())
  .use(apiVersion())
  .use(database())
  .route("/", healthRoutes)
  .route("/", openApiRoutes)
  .route("/", oauthRoutes)
  .route("/v1/merchants", opsMerchantRoutes)
  .route("/v1/merchants", rateLimitRoutes)
  .route("/v1/merchants", opsDashboardUserRoutes)
  .route("/v1/merchant", merchantProfileRoutes)
  .route("/v1/api_keys", apiKeyRoutes)
  .route("/v1/payments", paymentRoutes)
  .route("/v1/refunds", refundRoutes)
  .route("/v1/checkout_sessions", checkoutSessionRoutes)
  .route("/v1/events", eventRoutes)
  .route("/v1/webhook_endpoints", webhookEndpointRoutes)
  .route("/v1/disputes", disputeRoutes)
  .route("/v1/settlements", settlementRoutes)
  .route("/v1/balance", balanceRoutes)
  .route("/v1/balance_transactions", balanceTransactionRoutes)
  .route("/v1/ops/settlements", opsSettlementRoutes)
  .route("/v1/ops/reconciliation", opsReconciliationRoutes)
  .route("/v1/ops/audit", auditChainRoutes)
  .route("/v1/reports", reportRoutes)
  .route("/v1/routing", routingRoutes())
  .route("/v1/request_logs", requestLogRoutes)
  .route("/internal/v1/disputes", networkDisputeRoutes)
  .route("/network/upi", upiCallbackRoutes)
  .route("/network/wallet", walletWebhookRoutes)
  .route("/wallet", walletPageRoutes)
  .route("/dashboard/api/session", sessionRoutes)
  .route("/dashboard/api/users", userRoutes)
  .route(
    "/dashboard",
    dashboardPageRoutes(() => app),
  )
  .route("/checkout", checkoutPageRoutes)
  .route("/v1/ops/dead_letters", deadLetterRoutes)
  .route("/v1/ops/chaos", chaosRoutes)
  .route("/bench", benchRoutes)
  .notFound(onNotFound)
  .onError(onError);
