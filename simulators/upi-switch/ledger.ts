import { appendFileSync, existsSync, readFileSync } from "node:fs";

/**
 * A transaction's state at the switch (the debit and credit legs of UPI spec 1.1's ReqPay, and the
 * reversal when the credit fails; states after HarshilMaks/NPCI-Switch-Engine internal/state):
 * INITIATED -> AWAITING_PAYER -> DEBITED -> SUCCESS, a refused debit or a lapse -> FAILURE, a failed
 * credit -> REVERSAL_PENDING -> FAILURE (money back), an unconfirmed credit -> DEEMED -> SUCCESS.
 */
export type TxnState =
  | "INITIATED"
  | "AWAITING_PAYER"
  | "DEBITED"
  | "REVERSAL_PENDING"
  | "DEEMED"
  | "SUCCESS"
  | "FAILURE";

export const FINAL_STATES: readonly TxnState[] = ["SUCCESS", "FAILURE"];

export interface Leg {
  kind: "DEBIT" | "CREDIT" | "REVERSAL";
  vpa: string;
  amountPaise: number;
  status: "SUCCESS" | "FAILURE" | "DEEMED";
  /** `00`, or the code the bank or payer refused with. */
  respCode?: string;
  approvalNum?: string;
  at: string;
}

export type CallbackStatus = "not_due" | "pending" | "delivered" | "failed" | "withheld" | "dropped";

export interface TxnRecord {
  id: string;
  type: "PAY" | "COLLECT" | "REFUND";
  /** How the payer is reached: a collect request, the intent page, or (refunds) not at all. */
  flow: "collect" | "intent" | "refund";
  state: TxnState;
  /** The payer VPA; null for an intent until someone approves on the payer page. */
  payer: string | null;
  payerName?: string;
  payee: string;
  payeeName?: string;
  amountPaise: number;
  note?: string;
  refId?: string;
  /** The RRN (custRef): 12 digits. */
  rrn: string;
  txnTs: string;
  /** The ReqPay's msgId, echoed as Resp reqMsgId. */
  reqMsgId: string;
  errCode?: string;
  approvalNum?: string;
  /** Refunds: the txn refunded. Payments: the refunds made of them. */
  orgTxnId?: string;
  refundIds: string[];
  legs: Leg[];
  /** Collect and intent: when the payer's chance lapses (U69). */
  expiresAt?: string;
  /** Timers the behaviour needs after a restart: when the slow callback is due, when to resolve. */
  dueAt?: string;
  callback: { status: CallbackStatus; msgId?: string; ts?: string; attempts: number };
  createdAt: string;
  updatedAt: string;
  finalAt?: string;
}

/**
 * The switch's books: every transaction and refund with its legs. Each change appends the whole
 * record to a journal (JSONL) replayed at start, so the books survive a restart as the acquirer
 * simulator's do.
 */
export class Ledger {
  private readonly txns = new Map<string, TxnRecord>();

  constructor(private readonly journalPath: string | null) {
    if (journalPath && existsSync(journalPath)) {
      for (const line of readFileSync(journalPath, "utf8").split("\n")) {
        if (line.trim() !== "") {
          const record = JSON.parse(line) as TxnRecord;
          this.txns.set(record.id, record);
        }
      }
    }
  }

  get(id: string): TxnRecord | undefined {
    return this.txns.get(id);
  }

  all(): TxnRecord[] {
    return [...this.txns.values()];
  }

  save(record: TxnRecord): TxnRecord {
    record.updatedAt = new Date().toISOString();
    if (FINAL_STATES.includes(record.state)) record.finalAt ??= record.updatedAt;
    this.txns.set(record.id, record);
    if (this.journalPath) appendFileSync(this.journalPath, `${JSON.stringify(record)}\n`);
    return record;
  }

  /** Net movement per VPA in paise, from the legs that moved money (a deemed credit has not yet). */
  balances(): Record<string, number> {
    const balances: Record<string, number> = {};
    const move = (vpa: string, paise: number) => {
      balances[vpa] = (balances[vpa] ?? 0) + paise;
    };
    for (const txn of this.txns.values()) {
      for (const leg of txn.legs) {
        if (leg.status !== "SUCCESS") continue;
        move(leg.vpa, leg.kind === "DEBIT" ? -leg.amountPaise : leg.amountPaise);
      }
    }
    return balances;
  }

  /**
   * A new RRN, 12 digits shaped YDDDHHNNNNNN (last digit of the year, day of the year, hour, six
   * random digits) as RRNs commonly are; that NPCI mandates this shape is UNCONFIRMED. Unique in
   * these books.
   */
  newRrn(now = new Date()): string {
    const start = Date.UTC(now.getUTCFullYear(), 0, 0);
    const day = String(Math.floor((now.getTime() - start) / 86_400_000)).padStart(3, "0");
    const prefix = `${now.getUTCFullYear() % 10}${day}${String(now.getUTCHours()).padStart(2, "0")}`;
    const taken = new Set([...this.txns.values()].map((txn) => txn.rrn));
    for (;;) {
      const rrn = `${prefix}${String(Math.floor(Math.random() * 1_000_000)).padStart(6, "0")}`;
      if (!taken.has(rrn)) return rrn;
    }
  }
}
