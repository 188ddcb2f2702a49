import type { Decline } from "./decline-codes.js";

/**
 * What every card processor adapter offers the vault's internal API. A decline is a value,
 * never an exception; only our bugs throw. `unknown` means the processor may or may not have
 * acted (a timeout after sending): the connector has started a reversal, and the caller must
 * resolve the payment by inquiry, never by guessing.
 */
export interface CardDetails {
  pan: string;
  expMonth: number;
  expYear: number;
  /** Present only for the first authorization, from the vault's in-memory CVC store. */
  cvc: string | null;
}

export interface AuthorizeRequest {
  card: CardDetails;
  amount: number;
  currency: string;
  /** The merchant as the acceptor (ISO 8583 fields 42 and 43). */
  merchant: { id: string; name: string };
  /** `sale` authorizes and captures in one message (0200); `authorization` holds funds (0100). */
  kind: "authorization" | "sale";
}

export type OperationResult =
  | { status: "approved"; processorReference: string; authCode: string | null; responseCode: string }
  | { status: "declined"; processorReference: string; decline: Decline; responseCode: string }
  | { status: "unknown"; processorReference: string; reversal: "acknowledged" | "pending" }
  | { status: "unavailable"; reason: string };

export type InquiryResult =
  | { status: "approved"; authCode: string | null }
  | { status: "declined"; decline: Decline }
  | { status: "reversed" }
  | { status: "not_found" }
  | { status: "unavailable"; reason: string };

export interface CardConnector {
  readonly processor: string;
  authorize(request: AuthorizeRequest): Promise<OperationResult>;
  capture(request: { processorReference: string; amount: number; currency: string }): Promise<OperationResult>;
  void(request: { processorReference: string; amount: number; currency: string }): Promise<OperationResult>;
  refund(request: { processorReference: string; amount: number; currency: string }): Promise<OperationResult>;
  inquire(request: { processorReference: string }): Promise<InquiryResult>;
  /** Network management echo (0800/0810): is the link up? */
  echo(): Promise<boolean>;
  close(): Promise<void>;
}
