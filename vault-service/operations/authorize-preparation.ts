import { eq } from "drizzle-orm";
import type { CardProcessorId } from "../../common/processor-registry.js";
import type { CardNotSupported, CardSummary, OperationResponse } from "../../common/vault-internal-api.js";
import { merchants } from "../../db/schema/index.js";
import { lookupBin } from "../cards/bin-table.js";
import type { CardRecord } from "../cards/card-sealing.js";
import type { CardConnector } from "../connectors/card-connector.js";
import { acceptsBrand, type ConnectorRegistry, defaultProcessorFor } from "../connectors/connector-registry.js";
import { notConfigured } from "../connectors/network-links.js";
import type { VaultDatabase } from "../db/vault-database.js";
import { VaultError } from "../errors/vault-error.js";
import { EDGE_ISSUER } from "../internal/edge-token.js";
import type { KeyProvider } from "../keys/key-provider.js";
import { detokenize } from "../tokens/detokenize.js";
import type { Subject } from "./operation-outcomes.js";

export interface AuthorizeBody {
  operation_id: string;
  deadline: number;
  merchant_id: string;
  payment_id: string;
  /** The payment's mode: only a token made in it is found. */
  livemode: boolean;
  token: string;
  amount: number;
  currency: string;
  capture: boolean;
  /** The edge router's choice; omitted, the default for the card's brand. */
  processor?: CardProcessorId | undefined;
}

/** What the preparation has found so far: what the edge hears if its deadline comes first. */
export interface Learnt {
  routed?: { card: CardSummary; subject: Subject };
}

/** Everything the authorization needs before it is journaled; the card number stays in here. */
export interface Prepared {
  outcome: "prepared";
  card: CardRecord;
  connector: CardConnector;
  summary: CardSummary;
  subject: Subject & { kind: "authorization" | "sale" };
  merchantName: string;
}

/** Refused before the journal: a brand the processor cannot take, or a processor this mode lacks. */
export type Refused =
  | (CardNotSupported & { card: CardSummary })
  | (Extract<OperationResponse, { outcome: "unavailable" }> & { card: CardSummary });

/**
 * The stages before the journal: load the card, decide the processor (the edge's choice, or the
 * default for the brand), name the message, look up the merchant's name (ISO 8583 field 43).
 * Writes nothing, so a preparation the edge's deadline overtook is simply dropped. `connectors`
 * are the payment's mode's.
 */
export async function prepareAuthorization(
  deps: { db: VaultDatabase; keys: KeyProvider; connectors: ConnectorRegistry; unusedTokenTtlSeconds?: number },
  body: AuthorizeBody,
  learnt: Learnt,
): Promise<Prepared | Refused> {
  // The internal route has checked that the edge's token was signed for this payment.
  const card = await detokenize(
    deps,
    { token: body.token, merchantId: body.merchant_id, livemode: body.livemode },
    {
      paymentId: body.payment_id,
      operationId: body.operation_id,
      accessor: `${EDGE_ISSUER}:${body.payment_id}`,
      purpose: "authorize",
    },
  );
  // Expired unused (issue 12, item 4), and a token of the other mode (DESIGN invariant 6), are
  // answered exactly as never issued: no oracle that it exists elsewhere.
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
  const brand = bin?.brand ?? null;
  const processor = body.processor ?? (brand ? defaultProcessorFor(brand) : null);
  if (!processor || !brand || !acceptsBrand(processor, brand)) {
    const reason = `${processor ?? "No processor here"} does not accept ${brand ?? "these"} cards.`;
    return { outcome: "card_not_supported", reason, card: summary };
  }
  const connector = deps.connectors.get(processor);
  if (!connector) {
    return { outcome: "unavailable", processor, reason: notConfigured(processor, body.livemode), card: summary };
  }
  const kind = body.capture ? ("sale" as const) : ("authorization" as const);
  const reference = connector.reference(kind, null, { operationId: body.operation_id, brand });
  if (!reference)
    return { outcome: "card_not_supported", reason: `${processor} has no link for ${brand} cards.`, card: summary };
  const subject = { kind, processor, processorReference: reference };
  learnt.routed = { card: summary, subject };
  const [merchant] = await deps.db
    .select({ name: merchants.name })
    .from(merchants)
    .where(eq(merchants.id, body.merchant_id));
  return { outcome: "prepared", card, connector, summary, subject, merchantName: merchant?.name ?? body.merchant_id };
}
