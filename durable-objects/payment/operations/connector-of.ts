import { PROCESSOR_REGISTRY, type ProcessorKind } from "../../../common/processor-registry.js";
import { isProcessorId } from "../payment-routing.js";
import { startUpiRefund } from "../upi/start-upi-refund.js";
import { checkUpiOperation } from "../upi/upi-status-check.js";
import { advanceWalletPayment } from "../wallet/advance-wallet-payment.js";
import { resolveWalletFollowUp, walletFollowUp } from "../wallet/wallet-follow-ups.js";
import { followUp } from "./follow-ups.js";
import type { OperationIntent, OperationKind } from "./operation-intent.js";
import type { OperationContext } from "./start-operation.js";

/** Which connector carries a processor's operations: the vault's (cards) or one of the edge's own. */
type Connector = "vault" | "upi" | "wallet";

const CONNECTOR: Readonly<Record<ProcessorKind, Connector>> = {
  card_network: "vault",
  card_aggregator: "vault",
  upi: "upi",
  wallet: "wallet",
};

/** A processor's connector; a card network named the old way (visa, mastercard) is the vault's. */
export function connectorOf(processor: string | null | undefined): Connector {
  return isProcessorId(processor) ? CONNECTOR[PROCESSOR_REGISTRY[processor].kind] : "vault";
}

export interface FollowUpSpec {
  amount: number;
  reason?: OperationIntent["reason"];
  refundId?: string;
  refundReason?: string | null;
  refundKey?: string | null;
}

/**
 * A capture, void or refund, through the connector of the processor that took the payment. UPI is
 * single-message: it has refunds only (its payments are never `authorized`, so never captured or
 * voided).
 */
export function startFollowUp(
  context: OperationContext,
  processor: string | null,
  kind: Exclude<OperationKind, "authorize">,
  spec: FollowUpSpec,
): Promise<OperationIntent> {
  const connector = connectorOf(processor);
  switch (connector) {
    case "vault":
      return followUp(context, kind, spec);
    case "wallet":
      return walletFollowUp(context, kind, spec);
    case "upi":
      if (kind !== "refund") throw new Error(`a UPI payment has no ${kind}`);
      return startUpiRefund(context, {
        amount: spec.amount,
        refundId: spec.refundId ?? "",
        refundReason: spec.refundReason ?? null,
        refundKey: spec.refundKey ?? null,
      });
    default: {
      const unreachable: never = connector;
      throw new Error(`unknown connector ${String(unreachable)}`);
    }
  }
}

/**
 * The alarm's resolution of a pending operation at an edge connector (the vault's are asked by
 * `resolvePending` itself): UPI's status check; the wallet's order walked on, or its follow-up
 * asked again. False for the vault's.
 */
export async function resolveAtEdge(
  context: OperationContext,
  intent: OperationIntent,
  trigger: "status_check" | "webhook" = "status_check",
): Promise<boolean> {
  const connector = connectorOf(intent.processor);
  switch (connector) {
    case "vault":
      return false;
    case "upi":
      await checkUpiOperation(context, intent);
      return true;
    case "wallet":
      if (intent.kind === "authorize") await advanceWalletPayment(context, intent, trigger);
      else await resolveWalletFollowUp(context, intent);
      return true;
    default: {
      const unreachable: never = connector;
      throw new Error(`unknown connector ${String(unreachable)}`);
    }
  }
}
