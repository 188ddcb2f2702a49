import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LedgerEntry } from "./ledger.js";

/**
 * The daily clearing file an acquirer sends for reconciliation: one line per captured sale,
 * completion or refund booked that day (UTC), fixed columns separated by `|`, with a trailer of
 * counts and totals per currency. Reversed and declined transactions do not clear.
 */
export function writeClearingFile(directory: string, entries: LedgerEntry[], day: string): string {
  const cleared = entries.filter(
    (entry) => entry.status === "captured" && entry.updatedAt.slice(0, 10) === day && entry.capturedAmount > 0,
  );
  const lines = cleared.map((entry) =>
    [
      entry.kind === "refund" ? "CR" : "DR",
      entry.rrn,
      entry.network,
      entry.last4,
      entry.currency,
      String(entry.capturedAmount).padStart(12, "0"),
      entry.authCode ?? "",
      entry.originalRrn ?? "",
    ].join("|"),
  );
  const totals = new Map<string, number>();
  for (const entry of cleared) {
    const sign = entry.kind === "refund" ? -1 : 1;
    totals.set(entry.currency, (totals.get(entry.currency) ?? 0) + sign * entry.capturedAmount);
  }
  const trailer = [
    `TRAILER|${day}|${cleared.length}`,
    ...[...totals].map(([currency, net]) => `TOTAL|${currency}|${net}`),
  ];
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `clearing-${day.replaceAll("-", "")}.txt`);
  writeFileSync(path, `${[`HEADER|${day}`, ...lines, ...trailer].join("\n")}\n`);
  return path;
}
