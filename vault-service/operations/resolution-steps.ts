import type { OperationResponse } from "../../common/vault-internal-api.js";
import type { CardConnector, FollowUpRequest, OperationResult } from "../connectors/card-connector.js";
import type { JournalRow } from "./operation-journal.js";
import { approved, declined, noEffect, type Subject } from "./operation-outcomes.js";
import { subjectOf } from "./operation-runner.js";

/** One attempt at an operation's owed work: a definite outcome, or why to try again later. */
export type Step =
  | { done: true; state: "approved" | "declined" | "no_effect"; outcome: OperationResponse }
  | { done: false; reason: string };

const again = (reason: string): Step => ({ done: false, reason });
const settled = (outcome: OperationResponse): Step => ({
  done: true,
  state: outcome.outcome as "approved" | "declined" | "no_effect",
  outcome,
});

/**
 * Works an operation whose answer was lost until the network's books make it definite: inquiry
 * first, then the action the network expects for its kind (ISO 8583 practice). Every action is
 * safe to repeat: a reversal and a repeat advice are idempotent at the host, and a refund is
 * resent with its own RRN, which the host books once.
 */
export async function resolveStep(row: JournalRow, connector: CardConnector): Promise<Step> {
  const subject = subjectOf(row);
  const request: FollowUpRequest = {
    original: row.originalReference ?? subject.processorReference,
    amount: row.amount ?? 0,
    currency: row.currency ?? "",
  };
  switch (subject.kind) {
    case "authorization":
    case "sale":
      return reverseUnanswered(subject, request, connector, row.attempts > 1);
    case "completion":
      return repeatCompletion(subject, request, connector);
    case "reversal":
      return fromAction(subject, await connector.void(request, subject.processorReference, true));
    case "refund":
      return settleRefund(subject, request, connector);
    default: {
      const unreachable: never = subject.kind;
      throw new Error(`unhandled operation kind ${String(unreachable)}`);
    }
  }
}

/**
 * An authorization or sale whose response never came is reversed (0400, then 0401 repeats,
 * reason 68) until the host acknowledges; the money never moves. One the issuer declined has
 * nothing to reverse. A reversal for an RRN the host never booked is still sent: it stops a
 * late-arriving original from being booked.
 */
async function reverseUnanswered(
  subject: Subject,
  request: FollowUpRequest,
  connector: CardConnector,
  repeat: boolean,
): Promise<Step> {
  const inquiry = await connector.inquire(subject.processorReference);
  if (inquiry.status === "declined") return settled(declined(subject, inquiry.decline, inquiry.responseCode));
  if (inquiry.status === "reversed") return settled(noEffect(subject));
  const reversal = await connector.reverseUnanswered(request, repeat);
  if (reversal.status === "approved") return settled(noEffect(subject));
  return again(`reversal ${reversal.status}: ${describe(reversal)}`);
}

/**
 * A completion (capture) whose answer was lost: never a reversal of the authorization. The
 * inquiry on the authorization says whether the capture was booked; if not, the advice is
 * repeated (0221) until acknowledged. An authorization reversed or never booked cannot be
 * captured: the completion had no effect.
 */
async function repeatCompletion(subject: Subject, request: FollowUpRequest, connector: CardConnector): Promise<Step> {
  const inquiry = await connector.inquire(request.original);
  switch (inquiry.status) {
    case "captured":
      if (inquiry.capturedAmount === request.amount) return settled(approved(subject, inquiry.authCode));
      break;
    case "approved":
      break;
    case "reversed":
    case "not_found":
    case "declined":
      return settled(noEffect(subject));
    case "unavailable":
      return again(`inquiry: ${inquiry.reason}`);
    default:
      return unhandled(inquiry);
  }
  return fromAction(subject, await connector.capture(request, subject.processorReference, true));
}

/** A refund whose answer was lost: its own RRN says whether it was booked; if not, the same refund is resent. */
async function settleRefund(subject: Subject, request: FollowUpRequest, connector: CardConnector): Promise<Step> {
  const inquiry = await connector.inquire(subject.processorReference);
  switch (inquiry.status) {
    case "captured":
    case "approved":
      return settled(approved(subject, null));
    case "declined":
      return settled(declined(subject, inquiry.decline, inquiry.responseCode));
    case "reversed":
      return settled(noEffect(subject));
    case "not_found":
      return fromAction(subject, await connector.refund(request, subject.processorReference));
    case "unavailable":
      return again(`inquiry: ${inquiry.reason}`);
    default:
      return unhandled(inquiry);
  }
}

/** A repeated action's answer: approved and declined are definite, the rest is tried again. */
function fromAction(journaled: Subject, result: OperationResult): Step {
  const subject = {
    ...journaled,
    processorReference: ("reference" in result && result.reference) || journaled.processorReference,
  };
  switch (result.status) {
    case "approved":
      return settled(approved(subject, result.authCode));
    case "declined":
      return settled(declined(subject, result.decline, result.responseCode));
    case "unknown":
    case "unavailable":
      return again(`${result.status}: ${result.reason}`);
    default: {
      const unreachable: never = result;
      throw new Error(`unhandled connector result ${JSON.stringify(unreachable)}`);
    }
  }
}

function describe(result: OperationResult): string {
  return "reason" in result ? result.reason : result.responseCode;
}

function unhandled(inquiry: never): never {
  throw new Error(`unhandled inquiry result ${JSON.stringify(inquiry)}`);
}
