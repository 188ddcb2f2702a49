import { eq } from "drizzle-orm";
import type { AuthorizeResponse, CardSummary } from "../../common/vault-internal-api.js";
import { merchants } from "../../db/schema/index.js";
import { lookupBin } from "../cards/bin-table.js";
import type { CvcStore } from "../cards/cvc-store.js";
import type { ConnectorRegistry } from "../connectors/connector-registry.js";
import { VaultError } from "../errors/vault-error.js";
import type { KeyProvider } from "../keys/key-provider.js";
import { detokenize } from "../tokens/detokenize.js";
import type { Intent } from "./operation-journal.js";
import { effectiveDeadline, type RunnerDeps, runOperation } from "./operation-runner.js";

export interface AuthorizeDeps extends RunnerDeps {
  keys: KeyProvider;
  cvcs: CvcStore;
  connectors: ConnectorRegistry;
}

export interface AuthorizeBody {
  operation_id: string;
  deadline: number;
  merchant_id: string;
  payment_id: string;
  token: string;
  amount: number;
  currency: string;
  capture: boolean;
  processor?: "visa" | "mastercard" | undefined;
}

/**
 * An authorization (0100) or a sale (0200) of a token: validate -> load the card -> decide the
 * processor -> journal the intent -> send -> journal the answer. A brand no processor here takes
 * is `card_not_supported`, before anything is journaled or sent. The card number goes only to
 * the connector; the answer carries the card's summary.
 */
export async function authorizeOperation(deps: AuthorizeDeps, body: AuthorizeBody): Promise<AuthorizeResponse> {
  const card = await detokenize(deps, { token: body.token, merchantId: body.merchant_id });
  if (!card) throw new VaultError("resource_missing", { param: "token", message: `No such token: '${body.token}'.` });
  const bin = lookupBin(card.number);
  const summary: CardSummary = {
    brand: bin?.brand ?? "unknown",
    last4: card.number.slice(-4),
    exp_month: card.expMonth,
    exp_year: card.expYear,
    funding: bin?.funding ?? "unknown",
    country: bin?.country ?? null,
  };
  const processor = body.processor ?? (bin ? deps.connectors.processorFor(bin.brand) : null);
  if (!processor) {
    const reason = `No processor here accepts ${bin?.brand ?? "this"} cards.`;
    return { outcome: "card_not_supported", reason, card: summary };
  }
  const [merchant] = await deps.db
    .select({ name: merchants.name })
    .from(merchants)
    .where(eq(merchants.id, body.merchant_id));
  const connector = deps.connectors.get(processor);
  const kind = body.capture ? "sale" : "authorization";
  const intent: Intent = {
    id: body.operation_id,
    paymentId: body.payment_id,
    kind,
    processor,
    amount: body.amount,
    currency: body.currency,
    originalReference: null,
    processorReference: connector.reference(kind, null) ?? "",
    card: summary,
    deadline: effectiveDeadline(body.deadline),
  };
  const answer = await runOperation(deps, intent, async () => {
    // PCI DSS 3.3.1: the CVC is taken only when the authorization goes on the wire, then wiped.
    const cvc = deps.cvcs.take(body.token);
    try {
      const details = {
        pan: card.number,
        expMonth: card.expMonth,
        expYear: card.expYear,
        cvc: cvc?.toString("ascii") ?? null,
      };
      const merchantName = merchant?.name ?? body.merchant_id;
      return await connector.authorize(
        {
          card: details,
          amount: body.amount,
          currency: body.currency,
          merchant: { id: body.merchant_id, name: merchantName },
          kind,
        },
        intent.processorReference,
      );
    } finally {
      cvc?.fill(0);
    }
  });
  return { ...answer, card: summary };
}
