/** Scopes an ops client can hold. Each ops route names the one it needs. */
export const OPS_SCOPES = [
  "merchants:read",
  "merchants:write",
  "api_keys:write",
  "dead_letters:read",
  "dead_letters:write",
  /** Cut settlement batches now (`POST /v1/ops/settlements/cut`). */
  "settlements:write",
  /** Reconcile a processor's clearing file (`POST /v1/ops/reconciliation/runs`), and read runs and exceptions. */
  "reconciliation:write",
  "reconciliation:read",
  /** Read the audit hash chain's stored objects (`GET /v1/ops/audit/chain`, what `npm run audit:verify` checks). */
  "audit:read",
  /** The local stack's fault switches (`/v1/ops/chaos/*`, only where CHAOS_ROUTES is "on"). */
  "chaos:write",
] as const;
export type OpsScope = (typeof OPS_SCOPES)[number];

export function isOpsScope(value: string): value is OpsScope {
  return (OPS_SCOPES as readonly string[]).includes(value);
}
