import type { Context } from "hono";
import { VaultError } from "../errors/vault-error.js";
import type { VaultEnv } from "../vault-env.js";

/**
 * The payment an operation id belongs to: the edge names each operation `op_<the payment's id
 * without pay_>_<n>` (`durable-objects/payment/operations/operation-intent.ts`).
 */
export function paymentOfOperation(operationId: string): string | null {
  const match = /^op_(.+)_\d+$/.exec(operationId);
  return match ? `pay_${match[1]}` : null;
}

/**
 * An edge service token is signed for one payment (its subject): it may name that payment's
 * operations only, so one payment's token can neither run nor fence (by inquiring) another's.
 */
export function requireCallerOwns(c: Context<VaultEnv>, body: { operation_id: string; payment_id?: string }): void {
  const subject = c.get("edgeSubject");
  const wrong = (param: string) => new VaultError("edge_token_wrong_payment", { param });
  if (body.payment_id !== undefined && body.payment_id !== subject) throw wrong("payment_id");
  if (paymentOfOperation(body.operation_id) !== subject) throw wrong("operation_id");
}
