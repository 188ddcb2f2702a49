import type { UpiMessage } from "../../common/upi/upi-messages.js";
import type { Callbacks } from "./callbacks.js";
import type { CreditLeg } from "./faults.js";
import type { Ledger, Leg, TxnRecord, TxnState } from "./ledger.js";
import { type PayerBehaviour, payerBehaviour, TEST_PAYERS } from "./test-vpas.js";
import { newTxnRecord } from "./txn-record.js";

type ReqPay = Extract<UpiMessage, { api: "ReqPay" }>;

export interface SwitchTimers {
  /** How long a simulated payer takes to act on a collect; how long a refund's credit takes. */
  payerDelayMs: number;
  /** slow@upi: its callback comes this long after the (immediate) success. */
  slowCallbackMs: number;
  /** expire@upi: its collect lapses this soon. */
  testExpiryMs: number;
  reversalDelayMs: number;
  deemedResolveMs: number;
}

/** Expiry when a request names none: PhonePe PG's defaults, 480 s for collect and 600 s for intent (processors.md §1). */
const DEFAULT_EXPIRY_MS = { collect: 480_000, intent: 600_000 };

/** What the payer page tells the person who pressed a button. */
export type PayerOutcome =
  | { kind: "approved" }
  | { kind: "declined" }
  | { kind: "failed"; code: string }
  | { kind: "no_action" }
  | { kind: "needs_vpa" }
  | { kind: "not_waiting"; state: string };

const approvalNum = () => String(Math.floor(100_000 + Math.random() * 900_000));

/**
 * The switch's transaction engine: it books each accepted ReqPay, plays the payer (test VPAs, or a
 * person on the payer page), runs the debit and credit legs, reverses a debit whose credit failed,
 * and hands each final state to the callbacks. Every step is saved to the ledger, so a restart
 * picks up the timers where they were (resume()).
 */
export class SwitchEngine {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ledger: Ledger,
    private readonly callbacks: Callbacks,
    private readonly timing: SwitchTimers,
    private readonly creditLeg: () => CreditLeg,
  ) {}

  /** Books a ReqPay already checked by reqPayRefusal; what follows runs after the Ack is sent. */
  accept(message: ReqPay): TxnRecord {
    const now = new Date();
    const record = this.ledger.save(newTxnRecord(message, this.ledger.newRrn(now), now));
    const flow = record.flow;
    if (flow === "refund") return this.startRefund(record);
    const minutes = message.txn.expireAfter;
    const window = minutes ? minutes * 60_000 : DEFAULT_EXPIRY_MS[flow];
    const behaviour = record.payer ? payerBehaviour(record.payer) : null;
    const lapse = behaviour?.kind === "expire" ? Math.min(window, this.timing.testExpiryMs) : window;
    record.expiresAt = new Date(now.getTime() + lapse).toISOString();
    record.state = "AWAITING_PAYER";
    this.ledger.save(record);
    this.armPayer(record);
    return record;
  }

  /** The payer page: someone approved (as `payerVpa`) or declined an intent or a manual collect. */
  payerActs(txnId: string, action: "approve" | "decline", payerVpa: string | null): PayerOutcome {
    const record = this.ledger.get(txnId);
    if (record?.state !== "AWAITING_PAYER") return { kind: "not_waiting", state: record?.state ?? "unknown" };
    // An intent's payer is whoever approves in their app; a collect's was named in the request.
    const payer = record.flow === "intent" ? payerVpa : record.payer;
    if (action === "decline") {
      record.payer = payer;
      this.fail(record, "ZA", payer ? { kind: "DEBIT", status: "FAILURE", respCode: "ZA" } : undefined);
      return { kind: "declined" };
    }
    if (!payer) return { kind: "needs_vpa" };
    const behaviour = payerBehaviour(payer);
    if (behaviour?.kind === "expire") return { kind: "no_action" };
    record.payer = payer;
    this.payerDecides(record, behaviour?.kind === "manual" ? { kind: "approve" } : behaviour);
    // payerDecides has moved the txn on: a refusal is final at once.
    const failed = (record.state as TxnState) === "FAILURE";
    return failed ? { kind: "failed", code: record.errCode ?? "" } : { kind: "approved" };
  }

  /** After a restart: every timer a non-final transaction was waiting on, armed again. */
  resume(): void {
    for (const record of this.ledger.all()) {
      if (record.state === "AWAITING_PAYER") this.armPayer(record);
      if (record.state === "DEBITED")
        this.after(this.timing.payerDelayMs, record, "DEBITED", () => this.credit(record));
      if (record.state === "REVERSAL_PENDING")
        this.after(this.until(record.dueAt), record, "REVERSAL_PENDING", () => this.reverse(record));
      if (record.state === "DEEMED")
        this.after(this.until(record.dueAt), record, "DEEMED", () => this.confirmCredit(record));
    }
    this.callbacks.resume();
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private armPayer(record: TxnRecord): void {
    this.after(this.until(record.expiresAt), record, "AWAITING_PAYER", () => this.fail(record, "U69"));
    if (record.flow !== "collect" || !record.payer) return;
    const behaviour = payerBehaviour(record.payer);
    // An address the switch cannot resolve fails at once; the test payers act after their delay.
    if (!behaviour) this.after(0, record, "AWAITING_PAYER", () => this.payerDecides(record, null));
    else if (behaviour.kind !== "manual" && behaviour.kind !== "expire") {
      this.after(this.timing.payerDelayMs, record, "AWAITING_PAYER", () => this.payerDecides(record, behaviour));
    }
  }

  private payerDecides(record: TxnRecord, behaviour: PayerBehaviour | null): void {
    if (!behaviour) {
      this.fail(record, "ZH");
    } else if (behaviour.kind === "decline") {
      this.fail(record, behaviour.code, { kind: "DEBIT", status: "FAILURE", respCode: behaviour.code });
    } else if (behaviour.kind === "approve") {
      this.leg(record, { kind: "DEBIT", status: "SUCCESS", respCode: "00", approvalNum: approvalNum() });
      record.state = "DEBITED";
      this.ledger.save(record);
      this.credit(record);
    } else if (behaviour.kind === "slow" || behaviour.kind === "lost") {
      // Both legs succeed at once, whatever the credit_leg fault: only their callbacks differ.
      this.leg(record, { kind: "DEBIT", status: "SUCCESS", respCode: "00", approvalNum: approvalNum() });
      this.leg(record, { kind: "CREDIT", status: "SUCCESS", respCode: "00", approvalNum: approvalNum() });
      this.finish(record, "SUCCESS");
    }
    // expire@upi and manual@upi: the payer does nothing (until the expiry, or the payer page).
  }

  private startRefund(record: TxnRecord): TxnRecord {
    const original = this.ledger.get(record.orgTxnId ?? "");
    if (original) {
      original.refundIds.push(record.id);
      this.ledger.save(original);
    }
    this.leg(record, { kind: "DEBIT", status: "SUCCESS", respCode: "00", approvalNum: approvalNum() });
    record.state = "DEBITED";
    this.ledger.save(record);
    this.after(this.timing.payerDelayMs, record, "DEBITED", () => this.credit(record));
    return record;
  }

  /** The payee's bank credits, fails (the debit is then reversed) or leaves it unconfirmed, per the credit_leg fault. */
  private credit(record: TxnRecord): void {
    const mode = this.creditLeg();
    if (mode === "ok") {
      this.leg(record, { kind: "CREDIT", status: "SUCCESS", respCode: "00", approvalNum: approvalNum() });
      this.finish(record, "SUCCESS");
    } else if (mode === "fail") {
      this.leg(record, { kind: "CREDIT", status: "FAILURE", respCode: "BT" });
      this.wait(record, "REVERSAL_PENDING", this.timing.reversalDelayMs, () => this.reverse(record));
    } else {
      this.leg(record, { kind: "CREDIT", status: "DEEMED" });
      this.wait(record, "DEEMED", this.timing.deemedResolveMs, () => this.confirmCredit(record));
    }
  }

  /** Saves `record` in `state` with the time its next step is due, and arms that step. */
  private wait(record: TxnRecord, state: "REVERSAL_PENDING" | "DEEMED", ms: number, step: () => void): void {
    record.state = state;
    record.dueAt = new Date(Date.now() + ms).toISOString();
    this.ledger.save(record);
    this.after(ms, record, state, step);
  }

  /** The debit goes back to the payer; the txn fails with the credit's BT (beneficiary timeout). */
  private reverse(record: TxnRecord): void {
    this.leg(record, { kind: "REVERSAL", status: "SUCCESS", respCode: "00", approvalNum: approvalNum() });
    this.fail(record, "BT");
  }

  private confirmCredit(record: TxnRecord): void {
    const credit = record.legs.find((leg) => leg.kind === "CREDIT" && leg.status === "DEEMED");
    if (credit) Object.assign(credit, { status: "SUCCESS", respCode: "00", approvalNum: approvalNum() });
    this.finish(record, "SUCCESS");
  }

  private fail(record: TxnRecord, code: string, leg?: Omit<Leg, "vpa" | "amountPaise" | "at">): void {
    if (leg) this.leg(record, leg);
    record.errCode = code;
    this.finish(record, "FAILURE");
  }

  private finish(record: TxnRecord, state: "SUCCESS" | "FAILURE"): void {
    record.state = state;
    if (state === "SUCCESS") record.approvalNum = record.legs.find((leg) => leg.kind === "DEBIT")?.approvalNum;
    record.dueAt = undefined;
    // Whose behaviour decides the callback: the payer's for a payment, the refunded payer's for a refund.
    const party = record.flow === "refund" ? record.payee : record.payer;
    const kind = party && Object.hasOwn(TEST_PAYERS, party) ? payerBehaviour(party)?.kind : undefined;
    if (kind === "lost" && state === "SUCCESS") this.callbacks.due(record, "withheld");
    else if (kind === "slow" && state === "SUCCESS") this.callbacks.due(record, this.timing.slowCallbackMs);
    else this.callbacks.due(record, 0);
  }

  private leg(record: TxnRecord, leg: Omit<Leg, "vpa" | "amountPaise" | "at">): void {
    const vpa = leg.kind === "CREDIT" ? record.payee : (record.payer ?? "");
    record.legs.push({ ...leg, vpa, amountPaise: record.amountPaise, at: new Date().toISOString() });
  }

  private until(iso: string | undefined): number {
    return Math.max(0, (Date.parse(iso ?? "") || Date.now()) - Date.now());
  }

  /** Runs `step` after `ms` if the txn is still in `state` then (a payer page or an expiry may have moved it on). */
  private after(ms: number, record: TxnRecord, state: TxnRecord["state"], step: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const current = this.ledger.get(record.id);
      if (current?.state === state) step();
    }, ms);
    this.timers.add(timer);
  }
}
