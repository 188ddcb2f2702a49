import { z } from "zod";
import { DISPUTE_OUTCOMES } from "../../db/schema/disputes.js";

/** What the vault hands over of an acquirer's chargeback advice (vault-service/network/). */
export const chargebackSchema = z.strictObject({
  processor: z.string().min(1).max(40),
  /**
   * The card network of the advice's terminal. Processor references end in it, and payments made
   * before processors had ids recorded it as their processor. Optional for older vaults.
   */
  network: z.enum(["visa", "mastercard"]).optional(),
  /**
   * The mode of the link the advice came in on, which the vault knows from the terminal (field 41):
   * live and test have their own terminals. Required: without it a live chargeback could be matched
   * to a test payment with the same RRN, amount and date.
   */
  livemode: z.boolean(),
  network_reference: z.string().min(1).max(100),
  rrn: z.string().regex(/^[0-9A-Za-z]{12}$/),
  /** The disputed amount. */
  amount: z.number().int().positive(),
  /** The disputed transaction's amount (field 4): with the RRN, it picks the payment. */
  transaction_amount: z.number().int().positive(),
  /** The disputed transaction's date (UTC, of field 7), when the advice carries it. */
  transaction_date: z.iso.date().optional(),
  currency: z.string().regex(/^[A-Za-z]{3}$/),
  reason: z.string().min(1).max(100),
});

/**
 * The network's decision on a chargeback it raised, as the vault hands it over: the chargeback by
 * the acquirer's own id (unique per processor), the mode of the terminal it came in on, and the
 * outcome for the merchant (`won`: the disputed amount comes back).
 */
export const outcomeSchema = z.strictObject({
  processor: z.string().min(1).max(40),
  livemode: z.boolean(),
  network_reference: z.string().min(1).max(100),
  outcome: z.enum(DISPUTE_OUTCOMES),
});
