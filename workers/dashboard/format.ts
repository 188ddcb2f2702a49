import { formatAmount } from "../checkout/format-amount.js";

export { formatAmount };

/** A Unix time in seconds as a reader scans a list: `2026-12-02 13:58:19 UTC` (no locale guessing). */
export function formatTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** `partially_refunded` -> `Partially refunded`. */
export function humanize(value: string): string {
  const words = value.replace(/[._]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
