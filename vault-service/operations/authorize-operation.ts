import { BUDGETS } from "../../common/timeout-budgets.js";
import type { AuthorizeResponse, Processor } from "../../common/vault-internal-api.js";
import type { CvcStore } from "../cards/cvc-store.js";
import { type NetworkLinks, notConfigured } from "../connectors/network-links.js";
import type { KeyProvider } from "../keys/key-provider.js";
import { log } from "../logging/logger.js";
import { answerBy } from "./answer-by.js";
import { type AuthorizeBody, type Learnt, prepareAuthorization } from "./authorize-preparation.js";
import type { Intent } from "./operation-journal.js";
import { shortOfWire } from "./operation-outcomes.js";
import { effectiveDeadline, type RunnerDeps, runOperation } from "./operation-runner.js";

export type { AuthorizeBody } from "./authorize-preparation.js";

export interface AuthorizeDeps extends Omit<RunnerDeps, "connectors"> {
  keys: KeyProvider;
  cvcs: CvcStore;
  links: NetworkLinks;
  /** `VAULT_TOKEN_UNUSED_TTL_SECONDS`; unset, the 24 h default. */
  unusedTokenTtlSeconds?: number;
}

/**
 * `/authorize`'s answer: the contract's, or, before the card was even read (so with no card or
 * reference to name yet), `unknown` (a slow Postgres: the edge holds it pending and inquires by
 * the operation id) or `unavailable` (the processor the edge chose has no connector in the
 * payment's mode).
 */
export type AuthorizeAnswer =
  | AuthorizeResponse
  | { outcome: "unknown"; processor: Processor | null; processor_reference: null; resolution: "inquiry" }
  | { outcome: "unavailable"; processor: Processor; reason: string };

/**
 * An authorization (or a sale) of a token: validate -> load the card (of the payment's mode
 * only) -> decide the processor (the edge's choice, or the brand's default) among the mode's
 * connectors -> journal the intent -> send -> journal the answer. A processor the mode has no
 * connector for is `unavailable` (before the card is read, when the edge named it); a brand the
 * processor does not take is `card_not_supported`, before anything is journaled or sent. The card
 * number goes only to the connector; the answer carries the card's summary. Every stage before
 * the wire answers by the edge's deadline: a preparation still running then is dropped, never
 * journaled or sent.
 */
export async function authorizeOperation(deps: AuthorizeDeps, body: AuthorizeBody): Promise<AuthorizeAnswer> {
  const connectors = deps.links.of(body.livemode);
  if (body.processor && !connectors.get(body.processor)) {
    return { outcome: "unavailable", processor: body.processor, reason: notConfigured(body.processor, body.livemode) };
  }
  const deadline = effectiveDeadline(body.deadline);
  const replyBy = deadline.getTime() - BUDGETS.vaultReplyMarginMs;
  const learnt: Learnt = {};
  const preparing = prepareAuthorization({ ...deps, connectors }, body, learnt);
  // Already late: prepared all the same, so that it is journaled `not_sent` with its card.
  const prepared = Date.now() >= replyBy ? await preparing : await answerBy(preparing, replyBy, () => null);
  if (prepared === null) return unprepared(body, learnt);
  if (prepared.outcome !== "prepared") return prepared;
  const { card, connector, summary, subject, merchantName } = prepared;
  const intent: Intent = {
    id: body.operation_id,
    paymentId: body.payment_id,
    livemode: body.livemode,
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
  const runner = { db: deps.db, connectors, staleAfterMs: deps.staleAfterMs };
  const answer = await runOperation(runner, intent, async (reference) => {
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
          operationId: body.operation_id,
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
