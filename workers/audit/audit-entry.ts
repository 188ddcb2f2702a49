/**
 * One line of the compliance audit trail (the seed's `audit.log` topic, kept 7 years in R2):
 * who did what to which object, when, under which request. Never secrets (PCI DSS 10.2, 10.3).
 */
export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  target_id: string;
  actor: { kind: "api_key" | "ops_client"; id: string; merchant_id: string | null };
  request_id: string;
  details: Record<string, string | number | boolean | null>;
}
