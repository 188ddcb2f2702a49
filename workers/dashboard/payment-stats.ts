import type { Payment } from "./api-objects.js";

/** Statuses a processor approved (whatever happened after: capture, refund, void). */
const APPROVED = new Set(["authorized", "captured", "partially_refunded", "refunded", "voided"]);

export interface Bar {
  label: string;
  value: number;
  /** The value as read (an amount, a rate), when not the plain number. */
  text?: string;
}

export interface PaymentStats {
  count: number;
  /** Captured minus refunded, per currency (minor units), largest first. */
  volume: { currency: string; amount: number }[];
  approved: number;
  declined: number;
  declinesByCode: Bar[];
  byProcessor: { processor: string; approved: number; declined: number; count: number }[];
  perDay: Bar[];
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/**
 * The home page's figures from payments as `GET /v1/payments` lists them: the authorization rate
 * counts a payment the processor decided (approved or declined), not one still in flight; volume
 * is what was captured and kept. Pure, so it is tested as a table.
 */
export function paymentStats(payments: Payment[], days: number, now = Date.now()): PaymentStats {
  const volume = new Map<string, number>();
  for (const payment of payments) {
    const kept = payment.amount_captured - payment.amount_refunded;
    if (kept > 0) volume.set(payment.currency, (volume.get(payment.currency) ?? 0) + kept);
  }
  const decided = payments.filter((payment) => APPROVED.has(payment.status) || payment.status === "failed");
  const failed = decided.filter((payment) => payment.status === "failed");
  const processors = new Map<string, { processor: string; approved: number; declined: number; count: number }>();
  for (const payment of decided) {
    const name = payment.processor ?? "none";
    const entry = processors.get(name) ?? { processor: name, approved: 0, declined: 0, count: 0 };
    entry.count += 1;
    if (payment.status === "failed") entry.declined += 1;
    else entry.approved += 1;
    processors.set(name, entry);
  }
  const today = Math.floor(now / 86_400_000);
  const perDay = countBy(
    payments.filter((payment) => today - Math.floor(payment.created / 86_400) < days),
    (payment) => new Date(payment.created * 1000).toISOString().slice(0, 10),
  );
  return {
    count: payments.length,
    volume: [...volume].map(([currency, amount]) => ({ currency, amount })).sort((a, b) => b.amount - a.amount),
    approved: decided.length - failed.length,
    declined: failed.length,
    declinesByCode: [...countBy(failed, (payment) => payment.decline_code ?? "unknown")]
      .map(([label, value]) => ({ label, value }))
      .sort((a, b) => b.value - a.value),
    byProcessor: [...processors.values()].sort((a, b) => b.count - a.count),
    perDay: Array.from({ length: days }, (_, index) => {
      const day = new Date((today - days + 1 + index) * 86_400_000).toISOString().slice(0, 10);
      return { label: day.slice(5), value: perDay.get(day) ?? 0 };
    }),
  };
}
