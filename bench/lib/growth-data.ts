import type { PaymentTemplate, TableRows } from "./growth-templates.js";

/**
 * The platform's history for the cost-growth benchmark: payment `i` (0 = the newest) is a copy of
 * one real payment's projected rows (growth-templates.ts), made from its index alone, so each size
 * lays down only the payments it adds to the last. One in `BENCH_SHARE` belongs to the bench
 * merchant (its list has depth), the rest to `OTHER_MERCHANTS` others; one every `SPACING_MS`
 * going back from `base`, so a million span about a year, and a window of the first size's history
 * holds the same payments at every later size.
 */
export const OTHER_MERCHANTS = 1_000;
export const BENCH_SHARE = 20;
export const SPACING_MS = 30_000;
/** The mix of outcomes, in percent, by template kind: most captured, some declined, held, refunded. */
export const MIX = [
  ["captured", 85],
  ["failed", 8],
  ["authorized", 4],
  ["refunded", 3],
] as const;
export type Kind = (typeof MIX)[number][0];

const CHUNK = 5_000;

export const otherMerchantId = (m: number) => `acct_Growth${String(m).padStart(13, "0")}`;

/**
 * The kind of payment `i`: an integer hash of `i` (a 32-bit mixer), so the mix holds within any
 * run of payments and within the bench merchant's every twentieth, not only over the whole.
 */
export function kindOf(i: number): Kind {
  let hash = Math.imul(i ^ (i >>> 16), 0x45d9f3b);
  hash = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b);
  let slot = ((hash ^ (hash >>> 16)) >>> 0) % 100;
  for (const [kind, percent] of MIX) {
    if (slot < percent) return kind;
    slot -= percent;
  }
  throw new Error("the mix does not add up to 100");
}

export const isBenchPayment = (i: number) => i % BENCH_SHARE === 0;

/** How many of the first `size` payments are the bench merchant's and `match`. */
export function benchPayments(size: number, match: (i: number) => boolean): number {
  let count = 0;
  for (let i = 0; i < size; i += BENCH_SHARE) if (match(i)) count += 1;
  return count;
}

/** Payment `i`'s creation time. */
export const createdAt = (base: number, i: number) => base - (i + 1) * SPACING_MS;

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(:?\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A top-level timestamp or date value moved by `shiftMs`; any other value as it is. */
function shifted(value: string, shiftMs: number): string {
  const stamp = TIMESTAMP.exec(value);
  if (stamp) {
    const at = Date.parse(`${stamp[1]?.replace(" ", "T")}${stamp[2]}:${(stamp[3] ?? "00").replace(":", "")}`);
    return new Date(at + shiftMs).toISOString();
  }
  if (DATE.test(value)) return new Date(Date.parse(`${value}T00:00:00Z`) + shiftMs).toISOString().slice(0, 10);
  return value;
}

/**
 * The id of row `ordinal` of the template in payment `i`'s copy: the real id's prefix and length,
 * the rest hex from (ordinal, i), so it passes the API's id checks (`pay_` and 64 hex digits) and
 * no two copies share one.
 */
export function copyId(name: string, i: number, ordinal: number): string {
  const prefix = name.slice(0, name.indexOf("_") + 1);
  const body = `${ordinal.toString(16).padStart(2, "0")}${i.toString(16).padStart(10, "0")}`;
  return `${prefix}${body.padStart(name.length - prefix.length, "0")}`;
}

/** Payment `i`'s id (the payment is its template's first row). */
export const historyPaymentId = (template: PaymentTemplate, i: number) => copyId(template.paymentId, i, 0);

/** A template made ready for copying: its ids in one pattern, its payment's time. */
interface Prepared {
  template: PaymentTemplate;
  pattern: RegExp;
  /** Each of the template's ids by its place among them. */
  ordinals: Map<string, number>;
  createdMs: number;
}

export function prepare(template: PaymentTemplate): Prepared {
  const names = [...new Set([...template.ids, template.merchantId])].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  const payments = template.tables.find((t) => t.table === "payments");
  const created = payments?.lines[0]?.split("\t")[payments.columns.indexOf("created_at")] ?? "";
  const ordinals = new Map(template.ids.map((id, n) => [id, n]));
  return { template, pattern, ordinals, createdMs: Date.parse(shifted(created, 0)) };
}

/** One table's rows for payment `i`: ids renamed for `i`, the merchant's, times moved to its day. */
function copyOf(prepared: Prepared, table: TableRows, i: number, base: number): string[] {
  const { template } = prepared;
  const merchant = isBenchPayment(i) ? template.merchantId : otherMerchantId(i % OTHER_MERCHANTS);
  const rename = (name: string) =>
    name === template.merchantId ? merchant : copyId(name, i, prepared.ordinals.get(name) ?? 0);
  const shiftMs = createdAt(base, i) - prepared.createdMs;
  return table.lines.map((line) =>
    line
      .replace(prepared.pattern, rename)
      .split("\t")
      .map((value) => shifted(value, shiftMs))
      .join("\t"),
  );
}

/** The rows of payments `from` (inclusive) to `to` (exclusive), table by table, in COPY chunks. */
export function historyRows(templates: Record<Kind, Prepared>, from: number, to: number, base: number) {
  const first = templates.captured.template.tables;
  return first.map((shape, t) => ({
    table: shape.table,
    columns: shape.columns,
    chunks: (function* () {
      for (let start = from; start < to; start += CHUNK) {
        const lines: string[] = [];
        for (let i = start; i < Math.min(to, start + CHUNK); i++) {
          const prepared = templates[kindOf(i)];
          const table = prepared.template.tables[t];
          if (table) lines.push(...copyOf(prepared, table, i, base));
        }
        if (lines.length > 0) yield `${lines.join("\n")}\n`;
      }
    })(),
  }));
}

/** The platform's other merchants, copies of the bench merchant's row under their own ids. */
export function merchantCopies(bench: TableRows, benchId: string) {
  return {
    table: bench.table,
    columns: bench.columns,
    chunks: [
      `${Array.from({ length: OTHER_MERCHANTS }, (_, m) =>
        (bench.lines[0] ?? "").replaceAll(benchId, otherMerchantId(m)).replace(/bench@/g, `growth${m}@`),
      ).join("\n")}\n`,
    ],
  };
}
