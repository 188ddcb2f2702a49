import type { ReconciliationClass } from "../../db/schema/reconciliation.js";

/** A detail line of the processor's file: a sale or capture it settled (`charge`), or a refund. */
export interface FileLine {
  /** 1 for the first detail line. */
  lineNo: number;
  kind: "charge" | "refund";
  /**
   * The line's own id at the processor: an RRN (ISO 8583 field 37), a balance transaction's
   * source, a UPI txn id, a PayPal transaction id. A second line with the same is a duplicate.
   */
  reference: string;
  /**
   * What the line names its payment by, as the gateway keeps it (report-layouts.ts): a sale's own
   * RRN or a refund's original, the PaymentIntent, the UPI txn refunded, the PayPal capture; null
   * when it names none.
   */
  paymentReference: string | null;
  amount: number;
  /** ISO 4217 alphabetic (as the file wrote it when it is not one). */
  currency: string;
  /** What the processor kept; null when the file does not say. */
  fee: number | null;
  /** The issuer's or bank's approval code (ISO 8583 field 38, UPI's approval number); null when the layout has none. */
  authCode: string | null;
  bookedAt: string | null;
}

/** One of the gateway's movements of the day at that processor: a capture or a refund, as balance transactions book them. */
export interface GatewayRow {
  kind: "charge" | "refund";
  /** The balance transaction's source: the payment (its capture) or the refund. */
  sourceId: string;
  paymentId: string | null;
  merchantId: string;
  /** The payment's processor reference (`RRN-MTI-STAN-MMDDhhmmss[-network]`, `pi_...`, an RRN, a PayPal id). */
  reference: string | null;
  /** The payment's key in the processor's files, from what the gateway keeps (report-layouts.ts); null when it has none. */
  paymentReference: string | null;
  /** Positive, in minor units. */
  amount: number;
  currency: string;
  fee: number;
  authCode: string | null;
}

export interface MatchedItem {
  class: ReconciliationClass;
  line: FileLine | null;
  row: GatewayRow | null;
}

/** Which of the processor's fields a layout compares beyond amount and currency (report-layouts.ts). */
export interface Compared {
  fee: boolean;
  authCode: boolean;
}

const EVERYTHING: Compared = { fee: true, authCode: true };

const side = (kind: "charge" | "refund") => (kind === "charge" ? "D" : "C");

/**
 * Where both sides meet: a charge by its payment's key, a refund by its payment's too (the
 * gateway keeps no processor id of a refund, only its payment's), so several refunds of a payment
 * meet as one group. Lines and rows with the same key are compared as one group; what has no key
 * stands alone (`line:` / `row:`) and matches nothing. The staging SQL builds the same keys.
 */
export function lineKey(line: FileLine): string {
  return line.paymentReference ? `${side(line.kind)}:${line.paymentReference}` : `line:${line.lineNo}`;
}

export function rowKey(row: GatewayRow): string {
  return row.paymentReference ? `${side(row.kind)}:${row.paymentReference}` : `row:${row.sourceId}`;
}

/** Both name an approval code and they differ: not the same transaction, whatever else agrees. */
const otherApproval = (line: FileLine, row: GatewayRow, compared: Compared) =>
  compared.authCode && line.authCode !== null && row.authCode !== null && line.authCode !== row.authCode;

const same = (line: FileLine, row: GatewayRow, compared: Compared) =>
  line.amount === row.amount && line.currency === row.currency && !otherApproval(line, row, compared);

/**
 * What a paired line and movement are: the currency first (an amount in another currency is not
 * comparable), then the amount, then the fee when the file carries one.
 */
export function comparePair(line: FileLine, row: GatewayRow, compared: Compared = EVERYTHING): ReconciliationClass {
  if (line.currency !== row.currency) return "currency_mismatch";
  if (line.amount !== row.amount) return "amount_mismatch";
  if (compared.fee && line.fee !== null && line.fee !== row.fee) return "fee_mismatch";
  return "matched";
}

/**
 * Classifies one key's lines and movements (a pure function: the run feeds it group by group).
 * A line whose own reference the group has already listed is a `duplicate`. The rest pair up:
 * first the exact pairs (amount, currency, approval code when compared), in order, then what is
 * left in order, compared by `comparePair`, unless the approval codes differ; a line left over is
 * `missing_at_gateway`, a movement left over `missing_at_processor`.
 */
export function matchGroup(
  lines: readonly FileLine[],
  rows: readonly GatewayRow[],
  compared: Compared = EVERYTHING,
): MatchedItem[] {
  const items: MatchedItem[] = [];
  const seen = new Set<string>();
  const unique: FileLine[] = [];
  for (const line of lines) {
    if (seen.has(line.reference)) items.push({ class: "duplicate", line, row: null });
    else {
      seen.add(line.reference);
      unique.push(line);
    }
  }
  const pairs = new Map<FileLine, GatewayRow>();
  const free = new Set(rows);
  for (const line of unique) {
    const row = [...free].find((candidate) => same(line, candidate, compared));
    if (row) {
      pairs.set(line, row);
      free.delete(row);
    }
  }
  for (const line of unique) {
    if (pairs.has(line)) continue;
    const row = [...free].find((candidate) => !otherApproval(line, candidate, compared));
    if (row) {
      pairs.set(line, row);
      free.delete(row);
    }
  }
  for (const line of unique) {
    const row = pairs.get(line);
    items.push(
      row ? { class: comparePair(line, row, compared), line, row } : { class: "missing_at_gateway", line, row: null },
    );
  }
  for (const row of free) items.push({ class: "missing_at_processor", line: null, row });
  return items.sort(
    (a, b) => (a.line?.lineNo ?? Number.MAX_SAFE_INTEGER) - (b.line?.lineNo ?? Number.MAX_SAFE_INTEGER),
  );
}
