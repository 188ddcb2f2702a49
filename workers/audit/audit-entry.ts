/**
 * One line of the compliance audit trail (the seed's `audit.log` topic, kept 7 years in R2 as a
 * hash chain: `audit-chain.ts`): who did what to which object, when, under which request. Never
 * secrets (PCI DSS 10.2, 10.3).
 */
export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  target_id: string;
  actor: AuditActor;
  /** The request that did it; null when none did (the orchestrator's alarm, the vault's own work). */
  request_id: string | null;
  details: Record<string, string | number | boolean | null>;
}

/**
 * Who acted (PCI DSS 10.2.2): a merchant's API key, an ops client, the gateway itself (`system`:
 * the payment orchestrator's transitions, cron work; its id names the part) or a service of
 * another zone (`service`: the vault, named by the service token it acted on) or a processor whose
 * verified callback moved a payment (`processor`: the UPI switch, the wallet), or a person signed
 * in to the merchant's dashboard (`dashboard_user`, by user id).
 */
export interface AuditActor {
  kind: "api_key" | "ops_client" | "dashboard_user" | "system" | "service" | "processor";
  id: string;
  merchant_id: string | null;
}
