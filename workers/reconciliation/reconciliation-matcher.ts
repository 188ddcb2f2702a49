import type { ReconciliationClass } from "../../db/schema/reconciliation.js";

/** A detail line of the processor's file: a sale or completion it cleared (`charge`), or a refund. */
export interface FileLine {
  /** 1 for the first detail line. */
  lineNo: number;
  kind: "charge" | "refund";
  /** ISO 8583 field 37: the line's own retrieval reference. */
  rrn: string;
  /** A refund's original RRN. */
  originalRrn: string | null;
  amount: number;
  /** ISO 4217 alphabetic (numeric when the table lacks it). */
  currency: string;
  /** What the processor kept; null when the file does not say. */
  fee: number | null;
  /** ISO 8583 field 38. */
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
  /** The payment's processor reference (`RRN-MTI-STAN-MMDDhhmmss[-network]`). */
  reference: string | null;
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

/** The RRN a gateway reference starts with (ISO 8583 field 37, 12 characters), or null for another processor's shape. */
export function rrnOf(reference: string | null): string | null {
  const match = /^([0-9A-Za-z]{12})-/.exec(reference ?? "");
  return match?.[1] ?? null;
}

/**
 * Where both sides meet: a sale by its RRN, a refund by its original's RRN (the gateway does not
 * keep a refund's own RRN, the payment's it does). Lines and rows with the same key are compared
 * as one group; what has no key stands alone (`line:` / `row:`) and matches nothing.
 */
export function lineKey(line: FileLine): string {
  if (line.kind === "charge") return `D:${line.rrn}`;
  return line.originalRrn ? `C:${line.originalRrn}` : `line:${line.lineNo}`;
}

export function rowKey(row: GatewayRow): string {
  const rrn = rrnOf(row.reference);
  if (!rrn) return `row:${row.sourceId}`;
  return `${row.kind === "charge" ? "D" : "C"}:${rrn}`;
}

/** Both name an approval code and they differ: not the same transaction, whatever else agrees. */
const otherApproval = (line: FileLine, row: GatewayRow) =>
  line.authCode !== null && row.authCode !== null && line.authCode !== row.authCode;

const same = (line: FileLine, row: GatewayRow) =>
  line.amount === row.amount && line.currency === row.currency && !otherApproval(line, row);

/**
 * What a paired line and movement are: the currency first (an amount in another currency is not
 * comparable), then the amount, then the fee when the file carries one.
 */
export function comparePair(line: FileLine, row: GatewayRow): ReconciliationClass {
  if (line.currency !== row.currency) return "currency_mismatch";
  if (line.amount !== row.amount) return "amount_mismatch";
  if (line.fee !== null && line.fee !== row.fee) return "fee_mismatch";
  return "matched";
}

/**
 * Classifies one key's lines and movements (a pure function: the run feeds it group by group).
 * A line whose own RRN the group has already listed is a `duplicate`. The rest pair up: first
 * the exact pairs (amount, currency, approval code), in order, then what is left in order,
 * compared by `comparePair`, unless the approval codes differ; a line left over is
 * `missing_at_gateway`, a movement left over `missing_at_processor`.
 */
export function matchGroup(lines: readonly FileLine[], rows: readonly GatewayRow[]): MatchedItem[] {
  const items: MatchedItem[] = [];
  const seen = new Set<string>();
  const unique: FileLine[] = [];
  for (const line of lines) {
    if (seen.has(line.rrn)) items.push({ class: "duplicate", line, row: null });
    else {
      seen.add(line.rrn);
      unique.push(line);
    }
  }
  const pairs = new Map<FileLine, GatewayRow>();
  const free = new Set(rows);
  for (const line of unique) {
    const row = [...free].find((candidate) => same(line, candidate));
    if (row) {
      pairs.set(line, row);
      free.delete(row);
    }
  }
  for (const line of unique) {
    if (pairs.has(line)) continue;
    const row = [...free].find((candidate) => !otherApproval(line, candidate));
    if (row) {
      pairs.set(line, row);
      free.delete(row);
    }
  }
  for (const line of unique) {
    const row = pairs.get(line);
    items.push(row ? { class: comparePair(line, row), line, row } : { class: "missing_at_gateway", line, row: null });
  }
  for (const row of free) items.push({ class: "missing_at_processor", line: null, row });
  return items.sort(
    (a, b) => (a.line?.lineNo ?? Number.MAX_SAFE_INTEGER) - (b.line?.lineNo ?? Number.MAX_SAFE_INTEGER),
  );
}
