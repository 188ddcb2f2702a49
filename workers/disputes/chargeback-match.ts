import { and, eq, like, or, sql } from "drizzle-orm";
import { payments } from "../../db/schema/index.js";
import type { Database } from "../db/database.js";

/** What an acquirer's advice says about the transaction it disputes. */
export interface DisputedTransaction {
  /** The processor (the vault maps the advice's terminal, ISO 8583 field 41, to it). */
  processor: string;
  /** The terminal's card network, when the vault says it. */
  network?: "visa" | "mastercard" | undefined;
  /**
   * The world the advice came from: each mode has its own network link with its own terminals, and
   * the vault knows the mode from the terminal (field 41). The payment must be of the same mode.
   */
  livemode: boolean;
  /** Field 37: unique per terminal only, so never enough on its own. */
  rrn: string;
  /** Field 4 of the disputed transaction, in minor units: what was captured. */
  transaction_amount: number;
  /** `YYYY-MM-DD` (UTC) when the advice carries it: the day of field 7, its transmission time. */
  transaction_date?: string | undefined;
}

export type ChargebackMatch =
  | { kind: "matched"; payment: { id: string; merchantId: string; livemode: boolean } }
  | { kind: "none" }
  | { kind: "ambiguous"; paymentIds: string[] };

/**
 * `RRN-MTI-STAN-MMDDhhmmss-network`: the vault's reference (field 37, MTI, field 11, field 7 GMT,
 * the terminal's network); payments from before processors had ids lack the network suffix.
 */
function referencePattern(transaction: DisputedTransaction, withNetwork: boolean): string {
  const suffix = withNetwork && transaction.network ? `-${transaction.network}` : "%";
  if (!transaction.transaction_date) return `${transaction.rrn}-%${suffix}`;
  const monthDay = transaction.transaction_date.slice(5, 7) + transaction.transaction_date.slice(8, 10);
  return `${transaction.rrn}-____-______-${monthDay}______${suffix}`;
}

/**
 * Which payments an advice can name: its processor's, with the network in the reference; and, for
 * acquirer A, the payments made before processors had ids, which recorded the network instead.
 */
function sameTransaction(transaction: DisputedTransaction) {
  const current = and(
    eq(payments.processor, transaction.processor),
    like(payments.processorReference, referencePattern(transaction, true)),
  );
  if (transaction.processor !== "acquirer_a" || !transaction.network) return current;
  const legacy = and(
    eq(payments.processor, transaction.network),
    like(payments.processorReference, referencePattern(transaction, false)),
  );
  return or(current, legacy);
}

/**
 * The one captured payment an advice names: same mode, same network, same RRN, the same captured
 * amount and, when given, the same transmission date. An RRN is unique per terminal, not across
 * merchants, instances or modes, so anything but exactly one match is refused rather than guessed:
 * a chargeback recorded against the wrong merchant moves another merchant's money. The stored
 * reference does not name the terminal, so the mode is what keeps a live advice off a test payment
 * whose RRN, amount and date happen to be the same (and a test one off a live payment).
 */
export async function matchChargeback(
  db: Pick<Database, "select">,
  transaction: DisputedTransaction,
): Promise<ChargebackMatch> {
  const found = await db
    .select({ id: payments.id, merchantId: payments.merchantId, livemode: payments.livemode })
    .from(payments)
    .where(
      and(
        eq(payments.livemode, transaction.livemode),
        sameTransaction(transaction),
        eq(payments.amountCaptured, transaction.transaction_amount),
        sql`${payments.amountCaptured} > 0`,
      ),
    )
    .limit(2);
  const [only, second] = found;
  if (!only) return { kind: "none" };
  if (second) return { kind: "ambiguous", paymentIds: found.map((payment) => payment.id) };
  return { kind: "matched", payment: only };
}
