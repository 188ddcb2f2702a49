import { admitAttempt } from "../../../workers/processor-health/health-recorder.js";
import { isProcessorId, type PaymentRouting, withoutCandidate } from "../payment-routing.js";
import type { OperationContext } from "./start-operation.js";

/**
 * The routing with its next candidate admitted, or taken out (`probe_refused`) when it is a
 * recovering processor whose probe slots are all taken: a breaker that half-opens lets a few
 * attempts through to test the processor, not every payment that was routed while it was open
 * (issue 13 item 5). A closed processor needs no admission; a health object that cannot answer
 * admits (health is advice, never a reason to fail a payment).
 */
export async function admitNext(
  context: OperationContext,
  routing: PaymentRouting,
  livemode: boolean,
  next: (routing: PaymentRouting) => string | null,
): Promise<PaymentRouting> {
  let current = routing;
  for (;;) {
    const processor = next(current);
    if (!processor || !isProcessorId(processor) || !current.probes?.includes(processor)) return current;
    const admission = await admitAttempt(context.env, processor, livemode);
    if (admission.admitted) return current;
    current = withoutCandidate(current, processor, "probe_refused");
  }
}
