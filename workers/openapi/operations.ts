import { apiKeyOperations, apiKeyResources } from "../api-keys/api-keys.openapi.js";
import { auditChainOperations } from "../audit/audit-chain.openapi.js";
import { CheckoutSession, checkoutSessionOperations } from "../checkout/checkout-sessions.openapi.js";
import { upiCallbackOperations } from "../connectors/upi/upi-callback.openapi.js";
import { walletOperations } from "../connectors/wallet/wallet.openapi.js";
import { dashboardPageOperations } from "../dashboard/dashboard-pages.openapi.js";
import { dashboardAuthOperations, dashboardAuthResources } from "../dashboard-auth/dashboard-auth.openapi.js";
import { deadLetterOperations } from "../dead-letters/dead-letters.openapi.js";
import { disputeOperations, disputeResources } from "../disputes/disputes.openapi.js";
import { eventOperations, eventResources } from "../events/events.openapi.js";
import { healthOperations } from "../health/health.openapi.js";
import { merchantOperations, merchantResources } from "../merchants/merchants.openapi.js";
import { oauthOperations } from "../oauth/oauth.openapi.js";
import { Payment, PaymentSummary, paymentOperations, Refund } from "../payments/payments.openapi.js";
import { rateLimitOperations, rateLimitResources } from "../rate-limits/rate-limits.openapi.js";
import { reconciliationOperations, reconciliationResources } from "../reconciliation/reconciliation.openapi.js";
import { reportOperations, reportResources } from "../reports/reports.openapi.js";
import { requestLogOperations, requestLogResources } from "../request-logs/request-logs.openapi.js";
import { routingOperations, routingResources } from "../routing/routing.openapi.js";
import { settlementOperations, settlementResources } from "../settlement/settlement.openapi.js";
import { webhookEndpointOperations, webhookEndpointResources } from "../webhooks/webhook-endpoints.openapi.js";
import type { Operation } from "./operation.js";
import { referenceOperations } from "./reference.openapi.js";

/** Every operation the gateway serves, in the order the reference lists them. */
export const OPERATIONS: Operation[] = [
  ...paymentOperations,
  ...checkoutSessionOperations,
  ...eventOperations,
  ...webhookEndpointOperations,
  ...disputeOperations,
  ...settlementOperations,
  ...reconciliationOperations,
  ...reportOperations,
  ...upiCallbackOperations,
  ...walletOperations,
  ...routingOperations,
  ...apiKeyOperations,
  ...merchantOperations,
  ...requestLogOperations,
  ...dashboardAuthOperations,
  ...dashboardPageOperations,
  ...rateLimitOperations,
  ...deadLetterOperations,
  ...auditChainOperations,
  ...oauthOperations,
  ...healthOperations,
  ...referenceOperations,
];

/** The named response schemas (`components.schemas`); nested ones are `$ref`s to each other. */
export const RESOURCES = [
  Payment,
  PaymentSummary,
  Refund,
  CheckoutSession,
  ...eventResources,
  ...webhookEndpointResources,
  ...disputeResources,
  ...settlementResources,
  ...reconciliationResources,
  ...reportResources,
  ...routingResources,
  ...apiKeyResources,
  ...merchantResources,
  ...requestLogResources,
  ...dashboardAuthResources,
  ...rateLimitResources,
];
