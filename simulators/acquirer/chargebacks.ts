import { createHmac } from "node:crypto";
import type { LedgerEntry } from "./ledger.js";

/** Where an advice stands: sent and acknowledged (2xx), still being retried, or given up on. */
export interface AdviceNotification {
  status: "pending" | "delivered" | "failed";
  attempts: number;
  last_status: number | null;
}

/** How the network decided the case, for the merchant: `won` (the money goes back to them) or `lost`. */
export type ChargebackOutcome = "won" | "lost";

export interface Chargeback {
  chargeback_id: string;
  terminal: string;
  rrn: string;
  amount: number;
  /** The charged-back transaction's captured amount and day (UTC): with the RRN, they name it. */
  transaction_amount: number;
  transaction_date: string;
  currency: string;
  reason_code: string;
  created: string;
  notification: AdviceNotification;
  /** The network's decision, once made, and where its own advice stands. */
  resolution: { outcome: ChargebackOutcome; resolved: string; notification: AdviceNotification } | null;
}

export interface NotifyTarget {
  url: string;
  /** Shared with the connector service (ACQUIRER_NOTIFY_SECRET, base64). */
  secret: string;
}

export type Resolution =
  | { kind: "resolved"; chargeback: Chargeback }
  | { kind: "missing" }
  | { kind: "conflict"; chargeback: Chargeback };

/** Waits between advice attempts: an acquirer keeps pushing until the merchant's processor has it. */
const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];

/**
 * 4xx answers worth retrying, per advice: a chargeback's 404 (no payment yet) and 409 (ambiguous)
 * may clear as the gateway's books catch up; a resolution's 404 is its chargeback not yet recorded,
 * but its 409 (the case was closed the other way) will not change by asking again.
 */
const RETRIED_CLIENT_ERRORS = { chargeback: [404, 409], chargeback_resolution: [404] } as const;

const pending = (target: NotifyTarget | null): AdviceNotification => ({
  status: target ? "pending" : "failed",
  attempts: 0,
  last_status: null,
});

/**
 * Chargebacks the simulated acquirer raises against captured transactions, and the network's
 * decision on each, every one pushed to the connector service as a signed advice
 * (`Acquirer-Signature: t=..,v1=HMAC-SHA256("t.body")`) on the same endpoint, told apart by `type`,
 * and retried until it answers 2xx. Kept in memory: a demo's chargebacks are opened by hand.
 */
export class Chargebacks {
  private readonly opened: Chargeback[] = [];
  private serial = 0;

  constructor(private readonly target: NotifyTarget | null) {}

  open(entry: LedgerEntry, amount: number, reasonCode: string): Chargeback {
    this.serial += 1;
    const chargeback: Chargeback = {
      chargeback_id: `CB${Date.now().toString(36).toUpperCase()}${String(this.serial).padStart(4, "0")}`,
      terminal: entry.terminal,
      rrn: entry.rrn,
      amount,
      transaction_amount: entry.capturedAmount,
      transaction_date: entry.createdAt.slice(0, 10),
      currency: entry.currency,
      reason_code: reasonCode,
      created: new Date().toISOString(),
      notification: pending(this.target),
      resolution: null,
    };
    this.opened.push(chargeback);
    const { notification: _, resolution: __, ...advice } = chargeback;
    if (this.target) void this.push(this.target, { type: "chargeback", ...advice }, chargeback.notification);
    return chargeback;
  }

  /**
   * The network decides a case once: the first decision is pushed as a `chargeback_resolution`
   * advice; the same decision again is that one (nothing pushed twice), the other is a conflict.
   */
  resolve(chargebackId: string, outcome: ChargebackOutcome): Resolution {
    const chargeback = this.opened.find((opened) => opened.chargeback_id === chargebackId);
    if (!chargeback) return { kind: "missing" };
    if (chargeback.resolution) {
      return chargeback.resolution.outcome === outcome
        ? { kind: "resolved", chargeback }
        : { kind: "conflict", chargeback };
    }
    const resolution = { outcome, resolved: new Date().toISOString(), notification: pending(this.target) };
    chargeback.resolution = resolution;
    const advice = {
      type: "chargeback_resolution" as const,
      chargeback_id: chargeback.chargeback_id,
      terminal: chargeback.terminal,
      rrn: chargeback.rrn,
      outcome,
      resolved: resolution.resolved,
    };
    if (this.target) void this.push(this.target, advice, resolution.notification);
    return { kind: "resolved", chargeback };
  }

  all(): Chargeback[] {
    return [...this.opened];
  }

  private async push(
    target: NotifyTarget,
    advice: { type: keyof typeof RETRIED_CLIENT_ERRORS },
    notification: AdviceNotification,
  ): Promise<void> {
    const body = JSON.stringify(advice);
    const retried: readonly number[] = RETRIED_CLIENT_ERRORS[advice.type];
    for (let attempt = 0; attempt <= RETRY_MS.length; attempt++) {
      const timestamp = Math.floor(Date.now() / 1000);
      const mac = createHmac("sha256", Buffer.from(target.secret, "base64"))
        .update(`${timestamp}.${body}`)
        .digest("hex");
      notification.attempts += 1;
      try {
        const response = await fetch(target.url, {
          method: "POST",
          headers: { "Content-Type": "application/json", "Acquirer-Signature": `t=${timestamp},v1=${mac}` },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        notification.last_status = response.status;
        if (response.ok) {
          notification.status = "delivered";
          return;
        }
        // Other 4xx answers will not get better by retrying.
        if (response.status >= 400 && response.status < 500 && !retried.includes(response.status)) break;
      } catch {
        notification.last_status = null;
      }
      const wait = RETRY_MS[attempt];
      if (wait === undefined) break;
      await new Promise((resolve) => setTimeout(resolve, wait).unref());
    }
    notification.status = "failed";
  }
}
