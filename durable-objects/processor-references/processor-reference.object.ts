import { DurableObject } from "cloudflare:workers";

/**
 * Which payment a processor's own reference belongs to, one object per (processor, reference):
 * the switch's callbacks name a UPI transaction by its id (35 characters, NPCI's limit), which
 * cannot carry the payment object's 64-hex id, and Postgres learns of the transaction only later
 * (the projection). The payment object claims the reference before the request goes out
 * (DESIGN invariant 4a), so any answer the processor sends finds its payment. Set once: a second
 * claim for another payment is refused, never overwritten.
 */
export class ProcessorReferenceObject extends DurableObject<Env> {
  /** Records `paymentId` as the reference's owner; returns the owner, which is `paymentId` unless another claimed it first. */
  async claim(paymentId: string): Promise<string> {
    const owner = await this.ctx.storage.get<string>("payment");
    if (owner) return owner;
    await this.ctx.storage.put("payment", paymentId);
    return paymentId;
  }

  async owner(): Promise<string | null> {
    return (await this.ctx.storage.get<string>("payment")) ?? null;
  }
}

/** The object's name: the processor, then its reference (references of different processors never meet). */
export function processorReferenceName(processor: string, reference: string): string {
  return `${processor}/${reference}`;
}
