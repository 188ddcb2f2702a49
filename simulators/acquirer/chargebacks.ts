import { createHmac } from "node:crypto";
import type { LedgerEntry } from "./ledger.js";

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
  /** Where the advice stands: sent and acknowledged (2xx), or still being retried. */
  notification: { status: "pending" | "delivered" | "failed"; attempts: number; last_status: number | null };
}

export interface NotifyTarget {
  url: string;
  /** Shared with the connector service (ACQUIRER_NOTIFY_SECRET, base64). */
  secret: string;
}

/** Waits between advice attempts: an acquirer keeps pushing until the merchant's processor has it. */
const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];

/**
 * Chargebacks the simulated acquirer raises against captured transactions, each pushed to the
 * connector service as a signed advice (`Acquirer-Signature: t=..,v1=HMAC-SHA256("t.body")`),
 * retried until it answers 2xx. Kept in memory: a demo's chargebacks are opened by hand.
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
      notification: { status: this.target ? "pending" : "failed", attempts: 0, last_status: null },
    };
    this.opened.push(chargeback);
    if (this.target) void this.notify(this.target, chargeback);
    return chargeback;
  }

  all(): Chargeback[] {
    return [...this.opened];
  }

  private async notify(target: NotifyTarget, chargeback: Chargeback): Promise<void> {
    const { notification: _, ...advice } = chargeback;
    const body = JSON.stringify({ type: "chargeback", ...advice });
    for (let attempt = 0; attempt <= RETRY_MS.length; attempt++) {
      const timestamp = Math.floor(Date.now() / 1000);
      const mac = createHmac("sha256", Buffer.from(target.secret, "base64"))
        .update(`${timestamp}.${body}`)
        .digest("hex");
      chargeback.notification.attempts += 1;
      try {
        const response = await fetch(target.url, {
          method: "POST",
          headers: { "Content-Type": "application/json", "Acquirer-Signature": `t=${timestamp},v1=${mac}` },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        chargeback.notification.last_status = response.status;
        if (response.ok) {
          chargeback.notification.status = "delivered";
          return;
        }
        // 4xx other than 404/409 will not get better by retrying.
        if (response.status >= 400 && response.status < 500 && response.status !== 404 && response.status !== 409)
          break;
      } catch {
        chargeback.notification.last_status = null;
      }
      const wait = RETRY_MS[attempt];
      if (wait === undefined) break;
      await new Promise((resolve) => setTimeout(resolve, wait).unref());
    }
    chargeback.notification.status = "failed";
  }
}
