import { z } from "zod";
import { CURRENCY_NUMERIC } from "../connectors/card-network/currency-numeric.js";
import type { EdgeChargeback, EdgeDisputeOutcome } from "./edge-notifier.js";
import type { TerminalLink } from "./network.routes.js";

const common = {
  /** The acquirer's id for the chargeback: the resolution names the chargeback by it. */
  chargeback_id: z.string().min(1).max(100),
  /** Field 41 of the disputed transaction: which of our terminals (so which network link) it was. */
  terminal: z.string().min(1).max(16),
  rrn: z.string().regex(/^[0-9A-Za-z]{12}$/),
};

const chargebackAdvice = z.strictObject({
  type: z.literal("chargeback"),
  ...common,
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

/** The network's decision on a chargeback it raised: `won` or `lost`, for the merchant. */
const resolutionAdvice = z.strictObject({
  type: z.literal("chargeback_resolution"),
  ...common,
  outcome: z.enum(["won", "lost"]),
  resolved: z.string(),
});

/** What an acquirer pushes about disputes, one endpoint, told apart by `type`. */
export const adviceSchema = z.discriminatedUnion("type", [chargebackAdvice, resolutionAdvice]);
export type Advice = z.output<typeof adviceSchema>;

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

/** A chargeback advice as the edge records it, or why it cannot be (an unknown currency). */
export function edgeChargeback(
  advice: z.output<typeof chargebackAdvice>,
  link: TerminalLink,
): EdgeChargeback | { error: string } {
  const currency = CURRENCY_ALPHA.get(advice.currency);
  if (!currency) return { error: `unknown currency ${advice.currency}` };
  return {
    // The processor id: the edge's payments record it (those from before, their network: the edge
    // matches those as acquirer A's).
    processor: link.processor,
    // The terminal's network: references end in it, so the edge tells acquirer A's Visa and
    // Mastercard transactions apart (and finds payments made before processors had ids).
    network: link.network,
    // The terminal's mode: a live advice can only match a live payment (DESIGN invariant 6).
    livemode: link.livemode,
    network_reference: advice.chargeback_id,
    rrn: advice.rrn,
    amount: advice.amount,
    // RRNs are unique per terminal only: the edge matches the amount (and date) too, never the RRN alone.
    transaction_amount: advice.transaction_amount ?? advice.amount,
    ...(advice.transaction_date ? { transaction_date: advice.transaction_date } : {}),
    currency,
    reason: REASONS[advice.reason_code] ?? "general",
  };
}

/**
 * A resolution as the edge closes the dispute: the chargeback by the processor and mode its
 * terminal names and the acquirer's own id, which is how the edge recorded it.
 */
export function edgeOutcome(advice: z.output<typeof resolutionAdvice>, link: TerminalLink): EdgeDisputeOutcome {
  return {
    processor: link.processor,
    livemode: link.livemode,
    network_reference: advice.chargeback_id,
    outcome: advice.outcome,
  };
}
