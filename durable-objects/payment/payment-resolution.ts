import type { AuthorizeResponse, Processor } from "../../common/vault-internal-api.js";
import { vault } from "../../workers/vault/vault-client.js";
import type { PaymentRecord } from "./payment-record.js";
import type { PaymentStore } from "./payment-store.js";

/** Seconds between inquiries about an unknown outcome, by attempt. */
const RESOLVE_BACKOFF_S = [5, 15, 60, 300, 900];

type OrchestratorEnv = Pick<Env, "VAULT_URL" | "VAULT_SIGNING_KEY" | "AUTHORIZATION_WINDOW_SECONDS">;

/** The vault request that names an earlier processor operation of this payment. */
export function followUpRequest(payment: PaymentRecord, amount: number) {
  return {
    processor: payment.processor as Processor,
    processor_reference: payment.processor_reference ?? "",
    amount,
    currency: payment.currency,
  };
}

function authorizationDeadline(env: OrchestratorEnv): string {
  const seconds = Number(env.AUTHORIZATION_WINDOW_SECONDS) || 7 * 24 * 3600;
  return new Date(Date.now() + seconds * 1000).toISOString();
}

/** Applies an authorization outcome (and the card it names): definite ones move the state; an unknown one is resolved later. */
export function settleAuthorization(
  store: PaymentStore,
  env: OrchestratorEnv,
  outcome: AuthorizeResponse,
  captureMethod: "automatic" | "manual",
): void {
  // The card rides on the same write as the outcome (a vault without card summaries: null).
  const processor = { processor: outcome.processor, card: outcome.card ?? null };
  switch (outcome.outcome) {
    case "approved": {
      const amount = store.payment()?.amount ?? 0;
      store.transition("authorized", {
        ...processor,
        processor_reference: outcome.processor_reference,
        amount_capturable: amount,
        void_at: captureMethod === "manual" ? authorizationDeadline(env) : null,
      });
      if (captureMethod === "automatic") {
        store.transition("captured", { amount_captured: amount, amount_capturable: 0 }, { amount });
      }
      return;
    }
    case "declined":
      store.transition("failed", {
        ...processor,
        processor_reference: outcome.processor_reference,
        decline_code: outcome.decline_code,
        processor_response: { network_response_code: outcome.network_response_code, retry: outcome.decline_retry },
      });
      return;
    case "unavailable":
      store.transition("failed", { ...processor, decline_code: "processor_unavailable" });
      return;
    case "unknown":
      // Never guessed (DESIGN invariant 4): stays processing until an inquiry says what happened.
      store.patch({
        ...processor,
        processor_reference: outcome.processor_reference,
        resolve_at: new Date(Date.now() + 5_000).toISOString(),
      });
      return;
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The alarm's inquiry about a payment whose authorization timed out. */
export async function resolveUnknown(store: PaymentStore, env: OrchestratorEnv): Promise<void> {
  const payment = store.payment();
  if (!payment?.resolve_at || payment.status !== "processing" || !payment.processor_reference || !payment.processor)
    return;
  if (new Date(payment.resolve_at).getTime() > Date.now()) return;
  const answer = await vault
    .inquire(
      env,
      { processor: payment.processor as Processor, processor_reference: payment.processor_reference },
      payment.id,
    )
    .catch(() => ({ status: "unavailable" as const, reason: "vault unreachable" }));
  // The connector reverses every request that timed out (0400, repeated until acknowledged), so
  // "approved" here means the reversal has not landed yet: wait for it (as for an unreachable
  // vault) rather than authorize a payment the acquirer is about to reverse.
  if (answer.status === "reversed" || answer.status === "not_found" || answer.status === "declined") {
    store.transition("failed", { decline_code: "processor_timeout", resolve_at: null });
    return;
  }
  const attempts = payment.resolve_attempts + 1;
  const delay = RESOLVE_BACKOFF_S[Math.min(attempts, RESOLVE_BACKOFF_S.length - 1)] ?? 900;
  store.patch({ resolve_attempts: attempts, resolve_at: new Date(Date.now() + delay * 1000).toISOString() });
}

/** Card networks hold an authorization for days, not forever: release it rather than let it lapse. */
export async function voidExpiredAuthorization(store: PaymentStore, env: OrchestratorEnv): Promise<void> {
  const payment = store.payment();
  if (payment?.status !== "authorized" || !payment.void_at || new Date(payment.void_at).getTime() > Date.now()) return;
  const outcome = await vault.void(env, followUpRequest(payment, payment.amount), payment.id).catch(() => null);
  if (outcome?.outcome === "approved") {
    store.transition("voided", { amount_capturable: 0, void_at: null }, { reason: "authorization_expired" });
  } else {
    store.patch({ void_at: new Date(Date.now() + 60_000).toISOString() }); // try again in a minute
  }
}
