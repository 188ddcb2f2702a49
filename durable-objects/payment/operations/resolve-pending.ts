import { inquiryBackoffMs } from "../../../common/timeout-budgets.js";
import { vault } from "../../../workers/vault/vault-client.js";
import { reportAttemptHealth } from "./attempt-health.js";
import { resolveAtEdge } from "./connector-of.js";
import { announcePending, settleOperation } from "./settle-operation.js";
import type { OperationContext } from "./start-operation.js";

/**
 * The alarm's half of DESIGN invariant 4: a pending operation whose time has come is asked
 * about, by its id, at the vault, whose journal knows what the network did (or that nothing
 * was sent, in which case it has fenced the id so nothing ever will be). A definite answer is
 * applied; anything else (the vault still resolving, or unreachable) waits, with backoff.
 */
export async function resolvePending(context: OperationContext): Promise<void> {
  const { store, env } = context;
  const intent = store.pendingOperation();
  if (!intent || (intent.resolve_at ?? 0) > Date.now()) return;
  // UPI's and the wallet's operations are the edge's own: asked about there, on their own timers.
  if (await resolveAtEdge(context, intent)) return;
  const answer = await vault
    .inquire(env, { operation_id: intent.id }, store.payment()?.id ?? intent.id)
    .catch(() => null);
  if (answer && settleOperation(store, env, intent.id, answer)) {
    reportAttemptHealth(context, intent.id, answer);
    return;
  }
  announcePending(store, intent.id); // an object evicted mid-call never got to say so
  store.saveOperation({
    ...(store.operation(intent.id) ?? intent),
    inquiries: intent.inquiries + 1,
    resolve_at: Date.now() + inquiryBackoffMs(intent.inquiries),
  });
}
