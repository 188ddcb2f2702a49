import { resolveBackoffMs } from "../../common/timeout-budgets.js";
import type { OperationResponse, Processor, Resolution } from "../../common/vault-internal-api.js";
import type { NetworkOperationKind } from "../../db/schema/index.js";
import type { OperationResult } from "../connectors/card-connector.js";
import type { Decline } from "../connectors/decline-codes.js";
import type { JournalAnswer } from "./operation-journal.js";

/** Why an operation was never sent: the deadline came first, or an inquiry fenced it. */
export const FENCED = "the deadline passed before the operation was sent; it never will be";

/** Who the answer is about: the processor and this message's own reference. */
export interface Subject {
  kind: NetworkOperationKind;
  processor: Processor;
  processorReference: string;
}

/**
 * What the vault owes the network when a message's answer is lost (ISO 8583 practice): an
 * authorization or sale is reversed (0400, then 0401); a completion is repeated (0221), never
 * answered by reversing the authorization; a void's reversal is repeated (0401); a refund is
 * inquired about and resent with the same RRN.
 */
export function resolutionFor(kind: NetworkOperationKind): Resolution {
  switch (kind) {
    case "authorization":
    case "sale":
      return "reversal";
    case "completion":
      return "completion_repeat";
    case "reversal":
      return "reversal_repeat";
    case "refund":
      return "refund_repeat";
    default: {
      const unreachable: never = kind;
      throw new Error(`unhandled operation kind ${String(unreachable)}`);
    }
  }
}

export const approved = (s: Subject, authCode: string | null): OperationResponse => ({
  outcome: "approved",
  processor: s.processor,
  processor_reference: s.processorReference,
  auth_code: authCode,
});

export const declined = (s: Subject, decline: Decline, responseCode: string): OperationResponse => ({
  outcome: "declined",
  processor: s.processor,
  processor_reference: s.processorReference,
  decline_code: decline.code,
  decline_retry: decline.retry,
  network_response_code: responseCode,
});

export const noEffect = (s: Subject): OperationResponse => ({
  outcome: "no_effect",
  processor: s.processor,
  processor_reference: s.processorReference,
});

/** Sent, or perhaps sent, and not yet definite: the edge inquires later. */
export const pending = (s: Subject): OperationResponse => ({
  outcome: "unknown",
  processor: s.processor,
  processor_reference: s.processorReference,
  resolution: resolutionFor(s.kind),
});

/**
 * Still short of the wire at the edge's deadline (a slow journal): it will not be sent now, but
 * whether its intent reached the journal is not known here. The edge inquires; the journal's fence
 * then answers `unavailable`.
 */
export const shortOfWire = (s: Subject): OperationResponse => ({
  outcome: "unknown",
  processor: s.processor,
  processor_reference: s.processorReference,
  resolution: "inquiry",
});

export const unavailable = (processor: Processor | null, reason: string): OperationResponse => ({
  outcome: "unavailable",
  processor,
  reason,
});

/**
 * A connector's answer to the first sending, as the journal keeps it (exhaustive over the
 * results). A processor that names what it booked only in its answer (the aggregator's
 * PaymentIntent) is named by that to the edge.
 */
export function firstAnswer(journaled: Subject, result: OperationResult): JournalAnswer {
  const s = {
    ...journaled,
    processorReference: ("reference" in result && result.reference) || journaled.processorReference,
  };
  switch (result.status) {
    case "approved":
      return { state: "approved", outcome: approved(s, result.authCode) };
    case "declined":
      return { state: "declined", outcome: declined(s, result.decline, result.responseCode) };
    case "unknown":
      return {
        state: "unknown",
        outcome: pending(s),
        resolution: resolutionFor(s.kind),
        nextAttemptAt: new Date(Date.now() + resolveBackoffMs(0)),
        lastError: result.reason,
      };
    case "unavailable":
      return { state: "not_sent", outcome: unavailable(s.processor, result.reason), lastError: result.reason };
    default: {
      const unreachable: never = result;
      throw new Error(`unhandled connector result ${JSON.stringify(unreachable)}`);
    }
  }
}
