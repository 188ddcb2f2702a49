export { apiKeyIps } from "./api-key-ips.js";
export { apiKeys } from "./api-keys.js";
export {
  BALANCE_STATUSES,
  BALANCE_TYPES,
  type BalanceStatus,
  type BalanceType,
  balanceTransactions,
} from "./balance-transactions.js";
export { cardTokens } from "./card-tokens.js";
export { currencies } from "./currencies.js";
export { DASHBOARD_ROLES, type DashboardRole, dashboardUsers } from "./dashboard-users.js";
export { DISPUTE_STATUSES, type DisputeStatus, disputes } from "./disputes.js";
export { edgeTokenJtis } from "./edge-token-jtis.js";
export { events } from "./events.js";
export { merchants, type SettlementConfig } from "./merchants.js";
export {
  NETWORK_OPERATION_KINDS,
  NETWORK_OPERATION_STATES,
  type NetworkOperationKind,
  type NetworkOperationState,
  networkOperations,
} from "./network-operations.js";
export { opsClients } from "./ops-clients.js";
export { ATTEMPT_STATUSES, paymentAttempts } from "./payment-attempts.js";
export { paymentEvents } from "./payment-events.js";
export { PAYMENT_STATUSES, type PaymentStatus, payments } from "./payments.js";
export { RECONCILIATION_CLASSES, reconciliationItems, reconciliationRuns } from "./reconciliation.js";
export { REFUND_STATUSES, type RefundStatus, refunds } from "./refunds.js";
export { REPORT_STATUSES, REPORT_TYPES, type ReportStatus, type ReportType, reports } from "./reports.js";
export { requestLogs } from "./request-logs.js";
export { routingConfigs } from "./routing-configs.js";
export { settlements } from "./settlements.js";
export { vaultCardAccessLog } from "./vault-card-access-log.js";
export { vaultCards } from "./vault-cards.js";
export { webhookDeliveries, webhookDeliveryAttempts } from "./webhook-deliveries.js";
export { webhookEndpoints } from "./webhook-endpoints.js";
