import { BUDGETS } from "../../common/timeout-budgets.js";
import type { AuthorizeResponse, Processor } from "../../common/vault-internal-api.js";
import type { CvcStore } from "../cards/cvc-store.js";
import type { ConnectorRegistry } from "../connectors/connector-registry.js";
import type { KeyProvider } from "../keys/key-provider.js";
import { log } from "../logging/logger.js";
import { answerBy } from "./answer-by.js";
import { type AuthorizeBody, type Learnt, prepareAuthorization } from "./authorize-preparation.js";
import type { Intent } from "./operation-journal.js";
import { shortOfWire } from "./operation-outcomes.js";
import { effectiveDeadline, type RunnerDeps, runOperation } from "./operation-runner.js";

export type { AuthorizeBody } from "./authorize-preparation.js";

export interface AuthorizeDeps extends RunnerDeps {
  keys: KeyProvider;
  cvcs: CvcStore;
  connectors: ConnectorRegistry;
  /** `VAULT_TOKEN_UNUSED_TTL_SECONDS`; unset, the 24 h default. */
  unusedTokenTtlSeconds?: number;
}

/**
 * `/authorize`'s answer: the contract's, or `unknown` before the card was even read (a slow
 * Postgres), when there is no card, processor (routed by brand) or reference to name yet. The
 * edge holds either `unknown` pending and inquires by the operation id.
 */
export type AuthorizeAnswer =
  | AuthorizeResponse
  | { outcome: "unknown"; processor: Processor | null; processor_reference: null; resolution: "inquiry" };

/**
 * An authorization (0100) or a sale (0200) of a token: validate -> load the card -> decide the
 * processor -> journal the intent -> send -> journal the answer. A brand no processor here takes
 * is `card_not_supported`, before anything is journaled or sent. The card number goes only to
 * the connector; the answer carries the card's summary. Every stage before the wire answers by
 * the edge's deadline: a preparation still running then is dropped, never journaled or sent.
 */
export async function authorizeOperation(deps: AuthorizeDeps, body: AuthorizeBody): Promise<AuthorizeAnswer> {
  const deadline = effectiveDeadline(body.deadline);
  const replyBy = deadline.getTime() - BUDGETS.vaultReplyMarginMs;
  const learnt: Learnt = {};
  const preparing = prepareAuthorization(deps, body, learnt);
  // Already late: prepared all the same, so that it is journaled `not_sent` with its card.
  const prepared = Date.now() >= replyBy ? await preparing : await answerBy(preparing, replyBy, () => null);
  if (prepared === null) return unprepared(body, learnt);
  if (prepared.outcome === "card_not_supported") return prepared;
  const { card, summary, subject, merchantName } = prepared;
  const connector = deps.connectors.get(subject.processor);
  const intent: Intent = {
    id: body.operation_id,
    paymentId: body.payment_id,
    kind: subject.kind,
    processor: subject.processor,
    amount: body.amount,
    currency: body.currency,
    originalReference: null,
    processorReference: subject.processorReference,
    card: summary,
    deadline,
  };
  // `reference` is the one journaled: another if the first one's RRN was taken.
  const answer = await runOperation(deps, intent, async (reference) => {
    // PCI DSS 3.3.1: the CVC is taken only when the authorization goes on the wire, then wiped.
    const cvc = deps.cvcs.take(body.token);
    // Whether one was held, never what it was: shows a flood did not push a customer's CVC out.
    log("info", "authorization card data", { operation_id: body.operation_id, cvc_present: cvc !== undefined });
    try {
      const details = {
        pan: card.number,
        expMonth: card.expMonth,
        expYear: card.expYear,
        cvc: cvc?.toString("ascii") ?? null,
      };
      return await connector.authorize(
        {
          card: details,
          amount: body.amount,
          currency: body.currency,
          merchant: { id: body.merchant_id, name: merchantName },
          kind: body.capture ? "sale" : "authorization",
        },
        reference,
      );
    } finally {
      cvc?.fill(0);
    }
  });
  return { ...answer, card: summary };
}

/** The edge's deadline came while the card or its merchant was still being read: say what is known. */
function unprepared(body: AuthorizeBody, learnt: Learnt): AuthorizeAnswer {
  if (learnt.routed) return { ...shortOfWire(learnt.routed.subject), card: learnt.routed.card };
  return { outcome: "unknown", processor: body.processor ?? null, processor_reference: null, resolution: "inquiry" };
}
