import { z } from "zod";

/**
 * The wire contract of the vault's internal API (edge -> vault only, never merchants). Both
 * zones import it; nothing here can carry a card number: cards are named by token.
 */
export const PROCESSORS = ["visa", "mastercard"] as const;
export type Processor = (typeof PROCESSORS)[number];

const money = {
  amount: z.number().int().positive().max(999_999_999_999),
  currency: z.string().regex(/^[A-Z]{3}$/),
};

export const authorizeRequestSchema = z.strictObject({
  merchant_id: z.string().min(1),
  payment_id: z.string().min(1),
  token: z.string().regex(/^tok_[0-9A-Za-z]+$/),
  ...money,
  /** true: sale (0200, authorize and capture at once); false: authorization only (0100). */
  capture: z.boolean(),
  /** Omitted: the vault routes by the card's brand. */
  processor: z.enum(PROCESSORS).optional(),
});

export const followUpRequestSchema = z.strictObject({
  processor: z.enum(PROCESSORS),
  processor_reference: z.string().min(1).max(100),
  ...money,
});

export const inquireRequestSchema = z.strictObject({
  processor: z.enum(PROCESSORS),
  processor_reference: z.string().min(1).max(100),
});

export type AuthorizeRequest = z.input<typeof authorizeRequestSchema>;
export type FollowUpRequest = z.input<typeof followUpRequestSchema>;
export type InquireRequest = z.input<typeof inquireRequestSchema>;

/** Outcome of authorize / capture / void / refund. A decline is an outcome, not an error. */
export type OperationResponse =
  | { outcome: "approved"; processor: Processor; processor_reference: string; auth_code: string | null }
  | {
      outcome: "declined";
      processor: Processor;
      processor_reference: string;
      decline_code: string;
      decline_retry: "soft" | "hard";
      network_response_code: string;
    }
  /** Sent but unanswered: the vault is reversing it; resolve by inquiry, never by guessing. */
  | { outcome: "unknown"; processor: Processor; processor_reference: string; reversal: "acknowledged" | "pending" }
  /** Never sent (the processor could not be reached): safe to retry or fail over. */
  | { outcome: "unavailable"; processor: Processor; reason: string };

/**
 * What a payment may show of its card: brand, last four digits, expiry, funding and issuer
 * country. PCI DSS 3.4.1 allows at most the BIN and last four outside the vault; this is less.
 */
export interface CardSummary {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  funding: string;
  country: string | null;
}

/** `/authorize` also says which card it was, so the payment can show it without the vault. */
export type AuthorizeResponse = OperationResponse & { card: CardSummary };

export type InquireResponse =
  | { status: "approved"; auth_code: string | null }
  | { status: "declined"; decline_code: string }
  | { status: "reversed" }
  | { status: "not_found" }
  | { status: "unavailable"; reason: string };
