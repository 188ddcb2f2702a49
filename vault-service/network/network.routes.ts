import { Hono } from "hono";
import { z } from "zod";
import { CURRENCY_NUMERIC } from "../connectors/card-network/currency-numeric.js";
import type { CardNetwork } from "../connectors/card-network/network-config.js";
import { log } from "../logging/logger.js";
import type { VaultEnv } from "../vault-env.js";
import { verifyAcquirerSignature } from "./acquirer-signature.js";
import type { EdgeChargeback } from "./edge-notifier.js";

const adviceSchema = z.strictObject({
  type: z.literal("chargeback"),
  chargeback_id: z.string().min(1).max(100),
  /** Field 41 of the disputed transaction: which of our terminals (so which network link) it was. */
  terminal: z.string().min(1).max(16),
  rrn: z.string().regex(/^[0-9A-Za-z]{12}$/),
  /** The disputed amount. */
  amount: z.number().int().positive(),
  /** The disputed transaction's amount (field 4); absent, the chargeback is for all of it. */
  transaction_amount: z.number().int().positive().optional(),
  /** The disputed transaction's day (UTC, YYYY-MM-DD, of field 7), when the acquirer sends it. */
  transaction_date: z.iso.date().optional(),
  /** ISO 4217 numeric, as in field 49. */
  currency: z.string().regex(/^\d{3}$/),
  reason_code: z.string().min(1).max(10),
  created: z.string(),
});

const CURRENCY_ALPHA = new Map(Object.entries(CURRENCY_NUMERIC).map(([alpha, numeric]) => [numeric, alpha]));

/** Network reason codes (Visa, Mastercard) as the API's dispute reasons; anything else is `general`. */
const REASONS: Record<string, string> = {
  "10.4": "fraudulent",
  "4837": "fraudulent",
  "13.1": "product_not_received",
  "4855": "product_not_received",
  "12.6": "duplicate",
  "4834": "duplicate",
  "13.6": "credit_not_processed",
  "4860": "credit_not_processed",
};

/** One of this vault's terminals: the acquirer and network link it books on, and that link's mode. */
export interface TerminalLink {
  processor: "acquirer_a" | "acquirer_b";
  network: CardNetwork;
  livemode: boolean;
}

export interface NetworkDeps {
  /** ACQUIRER_NOTIFY_SECRET: the acquirer signs its advices with it. */
  acquirerSecret: string;
  /** Terminal id -> its acquirer, network and mode, from the acquirer configurations. */
  linkOfTerminal(terminal: string): TerminalLink | null;
  notifyEdge(chargeback: EdgeChargeback): Promise<{ status: number; body: unknown }>;
}

/**
 * The connector service's inbound side: what acquirers push to us. Today a chargeback advice:
 * signature and freshness checked, the terminal mapped to its network, and the dispute handed
 * to the edge, whose answer (200 recorded, 404 no payment matches, 409 more than one does, 5xx try
 * again) goes back to the
 * acquirer so it keeps retrying until we have it.
 */
export function networkRoutes(deps: NetworkDeps) {
  return new Hono<VaultEnv>().post("/chargebacks", async (c) => {
    const raw = await c.req.text();
    if (!verifyAcquirerSignature(deps.acquirerSecret, c.req.header("Acquirer-Signature"), raw)) {
      return c.json({ error: "bad or stale Acquirer-Signature" }, 401);
    }
    let advice: z.output<typeof adviceSchema>;
    try {
      advice = adviceSchema.parse(JSON.parse(raw));
    } catch {
      return c.json({ error: "not a chargeback advice" }, 400);
    }
    const link = deps.linkOfTerminal(advice.terminal);
    if (!link) return c.json({ error: `unknown terminal ${advice.terminal}` }, 404);
    // The processor id: the edge's payments record it (those from before, their network: the edge
    // matches those as acquirer A's). The network is in the payment's reference (`-visa`).
    const { processor, network, livemode } = link;
    const currency = CURRENCY_ALPHA.get(advice.currency);
    if (!currency) return c.json({ error: `unknown currency ${advice.currency}` }, 400);
    const answer = await deps.notifyEdge({
      processor,
      // The terminal's network: references end in it, so the edge tells acquirer A's Visa and
      // Mastercard transactions apart (and finds payments made before processors had ids).
      network,
      // The terminal's mode: a live advice can only match a live payment (DESIGN invariant 6).
      livemode,
      network_reference: advice.chargeback_id,
      rrn: advice.rrn,
      amount: advice.amount,
      // RRNs are unique per terminal only: the edge matches the amount (and date) too, never the RRN alone.
      transaction_amount: advice.transaction_amount ?? advice.amount,
      ...(advice.transaction_date ? { transaction_date: advice.transaction_date } : {}),
      currency,
      reason: REASONS[advice.reason_code] ?? "general",
    });
    log(answer.status === 200 ? "info" : "warn", "chargeback advice", {
      chargeback_id: advice.chargeback_id,
      processor,
      network,
      livemode,
      edge_status: answer.status,
    });
    return c.json(answer.body as object, answer.status as 200);
  });
}
