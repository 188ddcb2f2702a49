import { z } from "zod";
import { CARD_PROCESSOR_IDS, type CardProcessorId, type ProcessorId } from "./processor-registry.js";

/**
 * The wire contract of the vault's internal API (edge -> vault only, never merchants). Both
 * zones import it; nothing here can carry a card number: cards are named by token.
 */

/** The card processors of `common/processor-registry.ts`: the edge's router picks one per attempt. */
export const PROCESSORS = CARD_PROCESSOR_IDS;
export type Processor = CardProcessorId;

/**
 * What a payment authorized before processors were configuration recorded as its processor: the
 * card network, at the one acquirer there was (now `acquirer_a`). Accepted on follow-ups only, so
 * such a payment can still be captured, voided and refunded.
 */
export const LEGACY_PROCESSORS = ["visa", "mastercard"] as const;

const money = {
  amount: z.number().int().positive().max(999_999_999_999),
  currency: z.string().regex(/^[A-Z]{3}$/),
};

/** The edge's operation ids: `op_` and the payment's own id material, then the attempt. */
export const OPERATION_ID = /^op_[0-9A-Za-z_]{8,160}$/;

/**
 * DESIGN invariant 4a: every call names the edge's persisted intent. The vault journals the
 * operation under this id before anything goes on the wire, puts nothing on the wire after
 * `deadline` (epoch ms), and answers before it; `inquire` later finds the operation by its id.
 */
const operation = {
  operation_id: z.string().regex(OPERATION_ID),
  deadline: z.number().int().positive(),
  /**
   * DESIGN invariant 6: the payment's mode. It picks the network link (test mode reaches only
   * simulators), and a token pays only in the mode it was made in.
   */
  livemode: z.boolean(),
};

export const authorizeRequestSchema = z.strictObject({
  merchant_id: z.string().min(1),
  payment_id: z.string().min(1),
  token: z.string().regex(/^tok_[0-9A-Za-z]+$/),
  ...money,
  /** true: sale (0200, authorize and capture at once); false: authorization only (0100). */
  capture: z.boolean(),
  /** The processor the edge's router chose for this attempt. Omitted: the vault's default for the card's brand. */
  processor: z.enum(PROCESSORS).optional(),
  ...operation,
});

/** Capture (completion advice), void (reversal) and refund: they name the authorization's reference. */
export const followUpRequestSchema = z.strictObject({
  payment_id: z.string().min(1),
  processor: z.enum([...PROCESSORS, ...LEGACY_PROCESSORS]),
  processor_reference: z.string().min(1).max(100),
  ...money,
  ...operation,
});

/** What became of an operation the edge sent (or may have sent): by its id alone. */
export const inquireRequestSchema = z.strictObject({
  operation_id: z.string().regex(OPERATION_ID),
});

export type AuthorizeRequest = z.input<typeof authorizeRequestSchema>;
export type FollowUpRequest = z.input<typeof followUpRequestSchema>;
export type InquireRequest = z.input<typeof inquireRequestSchema>;

/** What the vault owes the network for an operation whose answer never came. */
export type Resolution = "inquiry" | "reversal" | "completion_repeat" | "reversal_repeat" | "refund_repeat";

/**
 * Outcome of authorize / capture / void / refund, and of an inquiry about one. A decline is an
 * outcome, not an error. Only `unknown` is not definite. The vault names its card processors
 * only; the edge settles its own connectors' operations (UPI) in the same terms, hence `ProcessorId`.
 */
export type OperationResponse =
  | { outcome: "approved"; processor: ProcessorId; processor_reference: string; auth_code: string | null }
  | {
      outcome: "declined";
      processor: ProcessorId;
      processor_reference: string;
      decline_code: string;
      decline_retry: "soft" | "hard";
      network_response_code: string;
    }
  /**
   * Sent (or perhaps sent) and unanswered: the vault has journaled what it owes the network
   * (`resolution`) and works it until definite. Resolve by `inquire`, never by guessing.
   */
  | {
      outcome: "unknown";
      /** Null when the vault gave up before it had even routed the card (its journal has nothing). */
      processor: ProcessorId | null;
      processor_reference: string | null;
      resolution: Resolution;
    }
  /**
   * Never on the wire, and now never will be (the processor could not be reached, the deadline
   * passed first, or the vault never received the operation and has fenced its id): safe to
   * retry under a new operation id, or fail over.
   */
  | { outcome: "unavailable"; processor: ProcessorId | null; reason: string }
  /**
   * Was sent, its answer was lost, and the processor now confirms it has no effect (reversed, or
   * never booked). Money did not move.
   */
  | { outcome: "no_effect"; processor: ProcessorId; processor_reference: string };

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

/** A card no processor here accepts (no network route for its brand): refused before the network. */
export interface CardNotSupported {
  outcome: "card_not_supported";
  reason: string;
}

/** `/authorize` also says which card it was, so the payment can show it without the vault. */
export type AuthorizeResponse = (OperationResponse | CardNotSupported) & { card: CardSummary };

/**
 * `/inquire`: the operation's outcome as the vault's journal has it now. An authorization's
 * answer carries its card. An id the vault never received is `unavailable` (and fenced).
 */
export type InquireResponse = (OperationResponse | CardNotSupported) & { card?: CardSummary | null };
