/**
 * The environment's audit chain (`durable-objects/audit-chain/`): one named object per
 * environment, so the chain is a single line. Test and live mode share it: an audit trail follows
 * actors, and ops actions belong to no mode.
 */
export function auditChain(env: Pick<Env, "AUDIT_CHAIN" | "ENVIRONMENT">) {
  return env.AUDIT_CHAIN.get(env.AUDIT_CHAIN.idFromName(`audit-chain/${env.ENVIRONMENT}`));
}
