import { newUpiId } from "../../common/upi/upi-fields.js";
import { encodeUpi } from "../../common/upi/upi-messages.js";
import { signUpiXml, type UpiSigner } from "../../common/upi/upi-signature.js";
import type { CallbackMode } from "./faults.js";
import type { Ledger, TxnRecord } from "./ledger.js";
import { respPay } from "./responses.js";

/** Waits after each failed attempt: 1 s, 2 s, 5 s, 10 s, 30 s, 60 s, then every 60 s. */
export const DEFAULT_CALLBACK_RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];
export const MAX_CALLBACK_ATTEMPTS = 20;
const KEPT_ATTEMPTS = 2_000;

export interface CallbackAttempt {
  txnId: string;
  attempt: number;
  replay: boolean;
  at: string;
  /** The PSP's HTTP status, or null when the connection failed. */
  status: number | null;
  error?: string;
}

/**
 * The RespPay callbacks: one per transaction, sent when it reaches its final state, POSTed signed
 * to `{callbackUrl}/RespPay/2.0/urn:txnid:{txnId}`. The PSP answers 200 with an Ack; anything else
 * (or no answer) is retried on the schedule above, up to 20 attempts. Each delivery runs in the
 * background; the attempts are kept for the admin API.
 */
export class Callbacks {
  private readonly log: CallbackAttempt[] = [];
  private readonly stopped = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly options: {
      url: string | null;
      signer: UpiSigner;
      ledger: Ledger;
      mode: () => CallbackMode;
      retryMs?: readonly number[];
    },
  ) {}

  /** The final state is reached: fix the callback's Head and send it after `delayMs` (or never: withheld). */
  due(record: TxnRecord, delayMs: number | "withheld"): void {
    record.callback = { status: delayMs === "withheld" ? "withheld" : "pending", attempts: 0 };
    record.callback.msgId = newUpiId("NPCI");
    record.callback.ts = new Date().toISOString();
    if (delayMs !== "withheld") record.dueAt = new Date(Date.now() + delayMs).toISOString();
    this.options.ledger.save(record);
    if (delayMs !== "withheld") this.later(delayMs, () => this.deliver(record.id));
  }

  /** After a restart: deliveries still pending go on (at their due time, or now). */
  resume(): void {
    for (const record of this.options.ledger.all()) {
      if (record.callback.status !== "pending") continue;
      const wait = Math.max(0, Date.parse(record.dueAt ?? "") - Date.now() || 0);
      this.later(wait, () => this.deliver(record.id));
    }
  }

  /** Sends the final RespPay again, once (tests of late and duplicate callbacks); the PSP's status. */
  async replay(record: TxnRecord): Promise<number | null> {
    return this.attempt(record, true);
  }

  attempts(txnId?: string): CallbackAttempt[] {
    return this.log.filter((entry) => !txnId || entry.txnId === txnId);
  }

  stop(): void {
    this.stopped.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(ms: number, run: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void run();
    }, ms);
    this.timers.add(timer);
  }

  private async deliver(txnId: string): Promise<void> {
    const record = this.options.ledger.get(txnId);
    if (record?.callback.status !== "pending" || this.stopped.signal.aborted) return;
    if (this.options.mode() === "drop" || !this.options.url) {
      record.callback.status = "dropped";
      this.options.ledger.save(record);
      return;
    }
    const status = await this.attempt(record, false);
    if (this.stopped.signal.aborted) return;
    record.callback.attempts += 1;
    const schedule = this.options.retryMs ?? DEFAULT_CALLBACK_RETRY_MS;
    const wait = schedule[Math.min(record.callback.attempts - 1, schedule.length - 1)] ?? 60_000;
    if (status === 200) record.callback.status = "delivered";
    else if (record.callback.attempts >= MAX_CALLBACK_ATTEMPTS) record.callback.status = "failed";
    else record.dueAt = new Date(Date.now() + wait).toISOString();
    this.options.ledger.save(record);
    if (record.callback.status === "pending") this.later(wait, () => this.deliver(txnId));
  }

  private async attempt(record: TxnRecord, replay: boolean): Promise<number | null> {
    const entry: CallbackAttempt = {
      txnId: record.id,
      attempt: record.callback.attempts + 1,
      replay,
      at: new Date().toISOString(),
      status: null,
    };
    this.log.push(entry);
    if (this.log.length > KEPT_ATTEMPTS) this.log.shift();
    if (!this.options.url) {
      entry.error = "no callback URL";
      return null;
    }
    try {
      const body = await signUpiXml(encodeUpi(respPay(record)), this.options.signer);
      const response = await fetch(`${this.options.url}/RespPay/2.0/urn:txnid:${record.id}`, {
        method: "POST",
        headers: { "Content-Type": "application/xml" },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(10_000), this.stopped.signal]),
      });
      entry.status = response.status;
      await response.body?.cancel();
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error);
    }
    return entry.status;
  }
}
