import type { Processor } from "../../common/vault-internal-api.js";
import type { CardBrand } from "../cards/card-brands.js";
import type { Decline } from "./decline-codes.js";

/**
 * What every card processor adapter offers the vault. A decline is a value, never an exception;
 * only our bugs throw. A connector never retries or reverses on its own: a request sent and left
 * unanswered is `unknown`, and the vault's operation journal owns what happens next (the
 * resolver's inquiry, reversal or repeat, which this interface also offers).
 */
export interface CardDetails {
  pan: string;
  expMonth: number;
  expYear: number;
  /** Present only for the first authorization, from the vault's in-memory CVC store. */
  cvc: string | null;
}

/** Every message the vault journals: each kind has its own wire message and its own resolution. */
export type OperationKind = "authorization" | "sale" | "completion" | "reversal" | "refund";

export interface AuthorizeRequest {
  card: CardDetails;
  amount: number;
  currency: string;
  /** The merchant as the acceptor (ISO 8583 fields 42 and 43). */
  merchant: { id: string; name: string };
  /** `sale` authorizes and captures in one message (0200); `authorization` holds funds (0100). */
  kind: "authorization" | "sale";
  /** The edge's operation id: an HTTP processor's idempotency key, and a tag on what it books. */
  operationId: string;
}

/** A message about an earlier one: `original` is that one's processor reference. */
export interface FollowUpRequest {
  original: string;
  amount: number;
  currency: string;
}

/**
 * `reference` is the processor's own name for what it booked, when it only tells it in its answer
 * (an aggregator's PaymentIntent id): the edge is given it instead of the journaled reference.
 */
export type OperationResult =
  | { status: "approved"; authCode: string | null; responseCode: string; reference?: string }
  | { status: "declined"; decline: Decline; responseCode: string; reference?: string }
  /** On the wire (or perhaps), and no usable answer: the processor may or may not have acted. */
  | { status: "unknown"; reason: string }
  /** Never on the wire (the processor could not be reached): nothing happened. */
  | { status: "unavailable"; reason: string };

/** What the processor's books say of a message, by its reference (a status inquiry). */
export type InquiryResult =
  /** Booked and approved, nothing captured yet (an authorization hold). */
  | { status: "approved"; authCode: string | null }
  /** Booked and captured: a sale, a completed authorization, or a refund that was credited. */
  | { status: "captured"; capturedAmount: number; authCode: string | null }
  | { status: "declined"; decline: Decline; responseCode: string }
  | { status: "reversed" }
  | { status: "not_found" }
  /** The inquiry itself got no answer. */
  | { status: "unavailable"; reason: string };

/** What a reference is minted for, besides its kind and original. */
export interface ReferenceContext {
  /** The edge's operation id (an HTTP processor's idempotency key). */
  operationId: string;
  /** An authorization's card brand (a card network link is chosen by it); null for a follow-up. */
  brand: CardBrand | null;
}

export interface CardConnector {
  readonly processor: Processor;
  /** The longest one exchange can take (every connect attempt, then the response timer). */
  readonly worstExchangeMs: number;
  /** Whether its messages mint an ISO 8583 retrieval reference (field 37) the journal must keep unique. */
  readonly mintsRrn: boolean;
  /**
   * The reference of a message about to be sent (an ISO 8583 trace number, retrieval reference and
   * time; an HTTP processor's idempotency key), fixed before the wire so the journal holds it
   * first. Null when `original` is not one of ours, or the card's brand is not one it takes.
   */
  reference(kind: OperationKind, original: string | null, context: ReferenceContext): string | null;
  /**
   * Moves the trace counter of the link that minted `taken` elsewhere: the journal found its RRN
   * already used (by another vault instance, or by this terminal before a restart, this hour).
   */
  moveTrace(taken: string): void;
  authorize(request: AuthorizeRequest, reference: string): Promise<OperationResult>;
  /** Completion advice; `repeat` sends it as a repeat (the host treats both alike, once). */
  capture(request: FollowUpRequest, reference: string, repeat: boolean): Promise<OperationResult>;
  /** A void: reversal of an authorization the merchant cancels. */
  void(request: FollowUpRequest, reference: string, repeat: boolean): Promise<OperationResult>;
  /** Resending a refund with the same reference is the same refund (the host dedupes it). */
  refund(request: FollowUpRequest, reference: string): Promise<OperationResult>;
  /** Reversal of an authorization or sale whose answer never came (reason: response too late). */
  reverseUnanswered(request: FollowUpRequest, repeat: boolean): Promise<OperationResult>;
  inquire(reference: string): Promise<InquiryResult>;
  /** Network management echo: is the link up? */
  echo(): Promise<boolean>;
  close(): Promise<void>;
}
