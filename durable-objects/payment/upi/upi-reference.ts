import { processorReferenceName } from "../../processor-references/processor-reference.object.js";

/**
 * Claims the switch's transaction id for this payment in the reference index, before the request
 * naming it goes out, so the callback that answers it finds the payment. False when the index
 * could not be written (or, impossibly for a fresh random id, another payment holds it): then
 * nothing may be sent.
 */
export async function claimUpiTxn(
  env: Pick<Env, "PROCESSOR_REFERENCES">,
  txnId: string,
  paymentId: string,
): Promise<boolean> {
  try {
    const index = env.PROCESSOR_REFERENCES.get(
      env.PROCESSOR_REFERENCES.idFromName(processorReferenceName("upi_switch", txnId)),
    );
    return (await index.claim(paymentId)) === paymentId;
  } catch {
    return false;
  }
}
