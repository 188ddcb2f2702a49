import type { FollowUpRequest as FollowUpBody, OperationResponse } from "../../common/vault-internal-api.js";
import type { FollowUpRequest, OperationResult } from "../connectors/card-connector.js";
import { type NetworkLinks, NO_LIVE_LINK } from "../connectors/network-links.js";
import { VaultError } from "../errors/vault-error.js";
import type { Intent } from "./operation-journal.js";
import { unavailable } from "./operation-outcomes.js";
import { effectiveDeadline, type RunnerDeps, runOperation } from "./operation-runner.js";

export interface FollowUpDeps extends Omit<RunnerDeps, "connectors"> {
  links: NetworkLinks;
}

/** The follow-ups of an authorization, as the journal names them. */
export type FollowUpKind = "completion" | "reversal" | "refund";

/**
 * A capture (completion advice 0220), a void (reversal 0400, reason 17) or a refund (0200,
 * processing code 20) of an earlier authorization or sale, on the links of the payment's mode,
 * journaled before the wire like every operation (and refused if the journal holds the payment
 * authorized in the other mode). What is owed if its answer is lost is the journal's business,
 * never a reversal of the authorization for a lost capture.
 */
export async function followUpOperation(
  deps: FollowUpDeps,
  kind: FollowUpKind,
  body: FollowUpBody,
): Promise<OperationResponse> {
  const connectors = deps.links.of(body.livemode);
  if (!connectors) return unavailable(null, NO_LIVE_LINK);
  const connector = connectors.get(body.processor);
  const reference = connector.reference(kind, body.processor_reference);
  if (!reference) {
    throw new VaultError("parameter_invalid", {
      param: "processor_reference",
      message: "Not a processor reference this vault issued.",
    });
  }
  const request: FollowUpRequest = { original: body.processor_reference, amount: body.amount, currency: body.currency };
  const intent: Intent = {
    id: body.operation_id,
    paymentId: body.payment_id,
    livemode: body.livemode,
    kind,
    processor: body.processor,
    amount: body.amount,
    currency: body.currency,
    originalReference: body.processor_reference,
    processorReference: reference,
    card: null,
    deadline: effectiveDeadline(body.deadline),
  };
  // `journaled`, not `reference`: a refund whose RRN was taken goes out under a fresh one.
  const runner = { db: deps.db, connectors, staleAfterMs: deps.staleAfterMs };
  return runOperation(runner, intent, (journaled): Promise<OperationResult> => {
    switch (kind) {
      case "completion":
        return connector.capture(request, journaled, false);
      case "reversal":
        return connector.void(request, journaled, false);
      case "refund":
        return connector.refund(request, journaled);
      default: {
        const unreachable: never = kind;
        throw new Error(`unhandled follow-up ${String(unreachable)}`);
      }
    }
  });
}
