import type { PaymentSummary } from "./api-objects.js";

export interface Bar {
  label: string;
  value: number;
  /** The value as read (an amount, a rate), when not the plain number. */
  text?: string;
}

export interface PaymentStats {
  count: number;
  /** Captured minus refunded, per currency (minor units), largest first; nothing kept, not listed. */
  volume: { currency: string; amount: number }[];
  approved: number;
  declined: number;
  /** `approved / (approved + declined)` as a percentage with one decimal, or a dash when none was decided. */
  authorizationRate: string;
  declinesByCode: Bar[];
  byProcessor: Bar[];
  perDay: Bar[];
}

const percent = (part: number, whole: number) => (whole === 0 ? "—" : `${((part / whole) * 100).toFixed(1)}%`);

/**
 * The home page's figures from `GET /v1/payments/summary` (summed in Postgres over every payment
 * in the range): pure, so it is tested as a table. Each processor's bar is its decided payments,
 * labelled with its own authorization rate.
 */
export function paymentStats(summary: PaymentSummary): PaymentStats {
  return {
    count: summary.count,
    volume: summary.volume
      .filter((entry) => entry.net > 0)
      .map((entry) => ({ currency: entry.currency, amount: entry.net })),
    approved: summary.approved,
    declined: summary.declined,
    authorizationRate: percent(summary.approved, summary.approved + summary.declined),
    declinesByCode: summary.declines_by_code.map((entry) => ({ label: entry.decline_code, value: entry.count })),
    byProcessor: summary.processors.map((entry) => ({
      label: entry.processor,
      value: entry.count,
      text: `${entry.count} · ${percent(entry.approved, entry.count)}`,
    })),
    perDay: summary.days.map((entry) => ({ label: entry.day.slice(5), value: entry.count })),
  };
}
