import type { PaymentSummaryRows, SummaryRange } from "./payment-summary.repository.js";

const DAY_MS = 86_400_000;

/** Every UTC day the range touches, `YYYY-MM-DD`, oldest first. */
function daysOf(range: SummaryRange): string[] {
  const first = Math.floor(range.from.getTime() / DAY_MS);
  const last = Math.floor((range.to.getTime() - 1) / DAY_MS);
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, index) =>
    new Date((first + index) * DAY_MS).toISOString().slice(0, 10),
  );
}

/**
 * `GET /v1/payments/summary`'s answer: the range as asked, the totals, and each breakdown; every
 * day of the range is listed, a day without payments as 0, so a chart needs no gaps filled.
 */
export function paymentSummaryView(rows: PaymentSummaryRows, range: SummaryRange, livemode: boolean) {
  const perDay = new Map(rows.days.map((day) => [day.day, day.count]));
  return {
    object: "payment_summary" as const,
    livemode,
    created_gte: Math.floor(range.from.getTime() / 1000),
    created_lt: Math.floor(range.to.getTime() / 1000),
    count: rows.count,
    approved: rows.approved,
    declined: rows.declined,
    volume: rows.volume.map((entry) => ({ ...entry, net: entry.captured - entry.refunded })),
    declines_by_code: rows.declines.map((entry) => ({ decline_code: entry.code, count: entry.count })),
    processors: rows.processors,
    days: daysOf(range).map((day) => ({ day, count: perDay.get(day) ?? 0 })),
  };
}
