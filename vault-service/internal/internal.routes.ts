import { eq } from "drizzle-orm";
import { Hono } from "hono";
import {
  type AuthorizeResponse,
  authorizeRequestSchema,
  type CardSummary,
  followUpRequestSchema,
  inquireRequestSchema,
} from "../../common/vault-internal-api.js";
import { merchants } from "../../db/schema/index.js";
import { lookupBin } from "../cards/bin-table.js";
import type { CvcStore } from "../cards/cvc-store.js";
import type { ConnectorRegistry } from "../connectors/connector-registry.js";
import type { VaultDatabase } from "../db/vault-database.js";
import { VaultError } from "../errors/vault-error.js";
import type { KeyProvider } from "../keys/key-provider.js";
import { edgeAuth } from "../middleware/edge-auth/index.js";
import { detokenize } from "../tokens/detokenize.js";
import { readJsonBody } from "../validation/json-body.js";
import type { VaultEnv } from "../vault-env.js";
import type { EdgeTokenCheck } from "./edge-token.js";
import { inquireResponse, operationResponse } from "./operation-response.js";

export interface InternalDeps {
  db: VaultDatabase;
  keys: KeyProvider;
  cvcs: CvcStore;
  connectors: ConnectorRegistry;
  verifyEdgeToken: (token: string) => Promise<EdgeTokenCheck>;
}

/**
 * The edge's door into the cardholder-data zone: authorize a token, and capture, void, refund
 * or inquire by processor reference. Card numbers go in one direction only, to the connector;
 * no response carries one. A decline is a 200 with `outcome: "declined"`.
 */
export function internalRoutes(deps: InternalDeps) {
  return new Hono<VaultEnv>()
    .use(edgeAuth(deps.verifyEdgeToken))
    .post("/authorize", async (c) => {
      const body = await readJsonBody(c, authorizeRequestSchema);
      const card = await detokenize(deps, { token: body.token, merchantId: body.merchant_id });
      if (!card)
        throw new VaultError("resource_missing", { param: "token", message: `No such token: '${body.token}'.` });
      const bin = lookupBin(card.number);
      const brand = bin?.brand;
      const processor = body.processor ?? (brand ? deps.connectors.processorFor(brand) : null);
      if (!processor) {
        throw new VaultError("parameter_invalid", {
          param: "token",
          message: `No processor accepts ${brand ?? "this"} cards.`,
        });
      }
      const [merchant] = await deps.db
        .select({ name: merchants.name })
        .from(merchants)
        .where(eq(merchants.id, body.merchant_id));
      // PCI DSS 3.3.1: the CVC is used for this first authorization only, then wiped.
      const cvc = deps.cvcs.take(body.token);
      try {
        const result = await deps.connectors.get(processor).authorize({
          card: {
            pan: card.number,
            expMonth: card.expMonth,
            expYear: card.expYear,
            cvc: cvc?.toString("ascii") ?? null,
          },
          amount: body.amount,
          currency: body.currency,
          merchant: { id: body.merchant_id, name: merchant?.name ?? body.merchant_id },
          kind: body.capture ? "sale" : "authorization",
        });
        const summary: CardSummary = {
          brand: brand ?? "unknown",
          last4: card.number.slice(-4),
          exp_month: card.expMonth,
          exp_year: card.expYear,
          funding: bin?.funding ?? "unknown",
          country: bin?.country ?? null,
        };
        return c.json({ ...operationResponse(processor, result), card: summary } satisfies AuthorizeResponse);
      } finally {
        cvc?.fill(0);
      }
    })
    .post("/capture", async (c) => {
      const body = await readJsonBody(c, followUpRequestSchema);
      const result = await deps.connectors.get(body.processor).capture(followUp(body));
      return c.json(operationResponse(body.processor, result));
    })
    .post("/void", async (c) => {
      const body = await readJsonBody(c, followUpRequestSchema);
      const result = await deps.connectors.get(body.processor).void(followUp(body));
      return c.json(operationResponse(body.processor, result));
    })
    .post("/refund", async (c) => {
      const body = await readJsonBody(c, followUpRequestSchema);
      const result = await deps.connectors.get(body.processor).refund(followUp(body));
      return c.json(operationResponse(body.processor, result));
    })
    .post("/inquire", async (c) => {
      const body = await readJsonBody(c, inquireRequestSchema);
      const result = await deps.connectors
        .get(body.processor)
        .inquire({ processorReference: body.processor_reference });
      return c.json(inquireResponse(result));
    });
}

function followUp(body: { processor_reference: string; amount: number; currency: string }) {
  return { processorReference: body.processor_reference, amount: body.amount, currency: body.currency };
}
