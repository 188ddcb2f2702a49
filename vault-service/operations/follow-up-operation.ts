import type { FollowUpRequest as FollowUpBody, OperationResponse } from "../../common/vault-internal-api.js";
import type { FollowUpRequest, OperationResult } from "../connectors/card-connector.js";
import { type NetworkLinks, notConfigured } from "../connectors/network-links.js";
import { VaultError } from "../errors/vault-error.js";
import { currentProcessor } from "./legacy-processors.js";
import type { Intent } from "./operation-journal.js";
import { unavailable } from "./operation-outcomes.js";
import { effectiveDeadline, type RunnerDeps, runOperation } from "./operation-runner.js";

export interface FollowUpDeps extends Omit<RunnerDeps, "connectors"> {
  links: NetworkLinks;
}

/** The follow-ups of an authorization, as the journal names them. */
export type FollowUpKind = "completion" | "reversal" | "refund";

/**
 * A capture (at an acquirer, completion advice 0220), a void (reversal 0400, reason 17) or a
 * refund (0200, processing code 20) of an earlier authorization or sale, on the processor that
 * authorized it (a payment from before processors were configuration names its card network:
 * acquirer A's link for it), in the payment's mode,
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
  const target = currentProcessor(
    { processor: body.processor, original: body.processor_reference },
    { original: true },
  );
  const connector = connectors.get(target.processor);
  if (!connector) return unavailable(target.processor, notConfigured(target.processor, body.livemode));
  const reference = connector.reference(kind, target.original, { operationId: body.operation_id, brand: null });
  if (!reference) {
    throw new VaultError("parameter_invalid", {
      param: "processor_reference",
      message: "Not a processor reference this vault issued.",
    });
  }
  const request: FollowUpRequest = { original: target.original, amount: body.amount, currency: body.currency };
  const intent: Intent = {
    id: body.operation_id,
    paymentId: body.payment_id,
    livemode: body.livemode,
    kind,
    processor: target.processor,
    amount: body.amount,
    currency: body.currency,
    originalReference: target.original,
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
