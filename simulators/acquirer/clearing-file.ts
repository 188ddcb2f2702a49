import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CARD_BRANDS, type CardBrand } from "../../common/card-brands.js";
import { PROCESSOR_IDS, PROCESSOR_REGISTRY, type ProcessorId, processorFee } from "../../common/processor-registry.js";
import { CURRENCY_NUMERIC } from "../../vault-service/connectors/card-network/currency-numeric.js";
import {
  applyDiscrepancies,
  type ClearingRecord,
  type Discrepancies,
  extraRrn,
  NO_DISCREPANCIES,
} from "./discrepancies.js";
import type { LedgerEntry } from "./ledger.js";

/** The layout's version, in the header: 2 added the fee and booking time after the first eight columns. */
export const CLEARING_FORMAT_VERSION = "2";

/** Whose file, and what it gets wrong on purpose. */
export interface ClearingOptions {
  /** The acquirer's processor id (`ACQUIRER_NAME`): its fee table prices the lines. */
  acquirer: string;
  /** Where its merchants are (ISO 3166-1 alpha-2): a card issued elsewhere is priced as international. */
  country: string;
  discrepancies?: Discrepancies;
}

interface Line extends ClearingRecord {
  kind: "DR" | "CR";
  network: string;
  last4: string;
  authCode: string;
  originalRrn: string;
  bookedAt: string;
}

/**
 * The acquirer's charge for a cleared sale, from its fee table (`common/processor-registry.ts`,
 * the contract the gateway holds too): basis points half up plus the fixed part, capped at the
 * amount. A refund returns no fee (0). Unknown (null, an empty column) when the acquirer has no
 * table or the card's network was never learnt (entries booked before brands were kept).
 */
function feeOf(entry: LedgerEntry, options: ClearingOptions): number | null {
  if (entry.kind === "refund") return 0;
  const acquirer = PROCESSOR_IDS.find((id): id is ProcessorId => id === options.acquirer);
  const brand = CARD_BRANDS.find((known): known is CardBrand => known === entry.brand);
  if (!acquirer || !brand) return null;
  const region = entry.issuerCountry === options.country ? "domestic" : "international";
  const fee = processorFee(PROCESSOR_REGISTRY[acquirer], { amount: entry.capturedAmount, brand, region });
  return fee === null ? null : Math.min(fee, entry.capturedAmount);
}

const bookedAt = (entry: LedgerEntry) => entry.capturedAt ?? entry.updatedAt;

/** Code-unit order: ISO 8601 UTC times and RRNs sort as text; `localeCompare`'s collation is not needed, and dearer. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The day's cleared entries, in booking order (then RRN): captured sales and completions, and
 * refunds. Sorted once with their booking times beside them, then made into lines one at a time
 * as the file is written, so a day of a million entries holds one array of references.
 */
function* clearedOn(entries: Iterable<LedgerEntry>, day: string, options: ClearingOptions): Generator<Line> {
  const cleared: { at: string; entry: LedgerEntry }[] = [];
  for (const entry of entries) {
    if (entry.status !== "captured" || entry.capturedAmount <= 0) continue;
    const at = bookedAt(entry);
    if (at.startsWith(day)) cleared.push({ at, entry });
  }
  cleared.sort((a, b) => byText(a.at, b.at) || byText(a.entry.rrn, b.entry.rrn));
  for (const { at, entry } of cleared) {
    yield {
      kind: entry.kind === "refund" ? "CR" : "DR",
      rrn: entry.rrn,
      network: entry.network,
      last4: entry.last4,
      currency: entry.currency,
      amount: entry.capturedAmount,
      authCode: entry.authCode ?? "",
      originalRrn: entry.originalRrn ?? "",
      fee: feeOf(entry, options),
      bookedAt: at,
    };
  }
}

const amount12 = (value: number) => String(value).padStart(12, "0");

/** The cleared lines, then the extra ones, without gathering them in one array. */
function* lineByLine(cleared: Iterable<Line>, extras: Line[]): Generator<Line> {
  yield* cleared;
  yield* extras;
}

/**
 * The daily clearing file an acquirer sends for reconciliation, line by line: one line per
 * captured sale, completion or refund booked that day (UTC), fixed columns separated by `|`,
 * then a trailer of the count and the net per currency. Reversed and declined transactions do
 * not clear. Columns: DR (debit, a sale) or CR (credit, a refund), RRN (field 37), network,
 * last four, currency (ISO 4217 numeric, field 49), amount (12 digits, minor units), approval
 * code (field 38), the original's RRN (a refund's), then (version 2) the fee (12 digits, empty
 * when unknown) and the booking time (ISO 8601 UTC). Readers of the first eight columns read on.
 */
export function* clearingFileLines(entries: LedgerEntry[], day: string, options: ClearingOptions): Generator<string> {
  const wrong = options.discrepancies ?? NO_DISCREPANCIES;
  const extras = wrong.extra.map(
    (extra, index): Line => ({
      kind: "DR",
      rrn: extraRrn(extra, index),
      network: entries[0]?.network ?? "acquirer",
      last4: "0000",
      currency: CURRENCY_NUMERIC[extra.currency] ?? "",
      amount: extra.amount,
      authCode: "999999",
      originalRrn: "",
      fee: null,
      bookedAt: `${day}T12:00:00.000Z`,
    }),
  );
  const totals = new Map<string, number>();
  let count = 0;
  yield `HEADER|${day}|${options.acquirer}|${CLEARING_FORMAT_VERSION}`;
  for (const line of lineByLine(applyDiscrepancies(clearedOn(entries, day, options), wrong), extras)) {
    count += 1;
    totals.set(line.currency, (totals.get(line.currency) ?? 0) + (line.kind === "CR" ? -1 : 1) * line.amount);
    yield [
      line.kind,
      line.rrn,
      line.network,
      line.last4,
      line.currency,
      amount12(line.amount),
      line.authCode,
      line.originalRrn,
      line.fee === null ? "" : amount12(line.fee),
      line.bookedAt,
    ].join("|");
  }
  yield `TRAILER|${day}|${count}`;
  for (const [currency, net] of totals) yield `TOTAL|${currency}|${net}`;
}

/** The whole file as one string, for the local folder (`POST /clearing` and the nightly write). */
export function writeClearingFile(
  directory: string,
  entries: LedgerEntry[],
  day: string,
  options: ClearingOptions,
): string {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `clearing-${day.replaceAll("-", "")}.txt`);
  writeFileSync(path, `${[...clearingFileLines(entries, day, options)].join("\n")}\n`);
  return path;
}
