import type { Step } from "./cost.js";

/**
 * Steps several flows share. Paths are from the repository root; "rows" are SQL rows written
 * (payment_state, transition_log, outbox_messages, idempotency, operations, refund_state).
 */

const DO = "durable-objects/payment";

/** The browser tokenizes the card at the vault before the merchant's server creates the payment. */
export const tokenize: Step = {
  what: "tokenize the card (pay.js -> vault)",
  where: "vault-service/tokens/tokens.repository.ts insertTokenizedCard: vault_cards + card_tokens",
  vaultTokenizations: 1,
  vaultRows: 2,
};

/** Any merchant API request: the gateway's chain before the route. */
export function apiRequest(what: string): Step {
  return {
    what,
    where:
      "workers/middleware/secret-key-auth/index.ts -> workers/rate-limits/limiter-client.ts countRequest (one RateLimiterObject.take); workers/middleware/request-log/index.ts (one summary on audit-log)",
    apiRequests: 1,
  };
}

/**
 * A create's routing facts (rules and health are cached per isolate). Counted as a new card's:
 * a token this isolate has routed before costs no query (routing-facts-cache.ts), so this is the
 * most the step costs.
 */
export const routingFacts: Step = {
  what: "route the payment",
  where:
    "workers/payments/payment-routing.ts routePayment -> routing-facts.repository.ts cachedRoutingFacts -> routing-facts.repository.ts findRoutingFacts (one query for a token new to the isolate)",
  routingQueries: 1,
};

/** A request under an Idempotency-Key reaches the object and records its key before any await. */
export function keyedRequest(what: string): Step {
  return {
    what,
    where: `${DO}/payment.object.ts idempotent -> idempotency-keys.ts begin (create uses "create" when no key is sent)`,
    objectRequests: 1,
    objectRows: 1,
    idempotencyKeys: 1,
  };
}

/** A card create's intent: payment created and moved to processing with its attempt, in one transaction. */
export const cardIntent: Step = {
  what: "persist the authorization intent",
  where: `${DO}/operations/start-operation.ts startOperation: authorize.ts inFlight (payment-store.ts create + transition processing: state, log, outbox each), patch, saveOperation, IdempotencyKeys.link; setAlarm(resolve_at)`,
  newPayments: 1,
  objectRows: 9,
  transitions: 2,
  merchantEvents: 2,
  operations: 1,
  alarmSets: 1,
};

/** A card authorization (or sale) at the vault. */
export const vaultAuthorize: Step = {
  what: "authorize at the vault",
  where:
    "vault-service/internal/jti-replay-guard.ts accept (+ its sweep's delete), tokens/token-expiry.ts claimVaultCard (used_at), tokens/card-access-log.ts logCardAccess, operations/operation-journal.ts recordIntent, markSent, recordAnswer",
  vaultOperations: 1,
  vaultRows: 7,
  cardAccesses: 1,
  processorCalls: 1,
};

/** A capture, void or refund at the vault: no card is opened. */
export const vaultFollowUp: Step = {
  what: "follow-up at the vault",
  where:
    "vault-service/operations/follow-up-operation.ts -> jti-replay-guard.ts accept (+ sweep), operation-journal.ts recordIntent, markSent, recordAnswer",
  vaultOperations: 1,
  vaultRows: 5,
  processorCalls: 1,
};

/** A follow-up's intent (capture, refund): no state change yet. */
export const followUpIntent: Step = {
  what: "persist the follow-up intent",
  where: `${DO}/operations/start-operation.ts startOperation: patch, saveOperation, IdempotencyKeys.link; setAlarm(resolve_at)`,
  objectRows: 3,
  operations: 1,
  alarmSets: 1,
};

/** The answer recorded with the key, then the alarm armed to drain what the mutation wrote. */
export const finishRequest: Step = {
  what: "record the answer, arm the alarm",
  where: `${DO}/payment.object.ts finish (idempotency-keys.ts finish or pend) and mutation -> scheduleAlarm`,
  objectRows: 1,
  alarmSets: 1,
};

/** The alarm drains `messages` outbox rows to payment-events in one sendBatch, then deletes them. */
export function drain(messages: number): Step {
  return {
    what: `alarm drains ${messages} message${messages === 1 ? "" : "s"}`,
    where: `${DO}/payment.object.ts alarm: outbox(100) -> PAYMENT_EVENTS.sendBatch, deleteOutbox`,
    objectRequests: 1,
    objectRows: messages,
    drains: 1,
    drained: messages,
    attemptUpserts: 1,
  };
}

/** An alarm that leaves a timer behind (the authorization window, the next status check). */
export const rearm: Step = {
  what: "alarm re-arms for its next due time",
  where: `${DO}/payment.object.ts alarm: due -> setAlarm`,
  alarmSets: 1,
};
