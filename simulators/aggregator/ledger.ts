import { appendFileSync, existsSync, readFileSync } from "node:fs";

/** Stripe's PaymentIntent statuses this processor reaches (no 3-D Secure here, so no `requires_action`). */
export type IntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_capture"
  | "succeeded"
  | "canceled";

/** The card as the books keep it: never the number, never the security code. */
export interface CardOnFile {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  fingerprint: string;
}

export interface PaymentError {
  code: string;
  declineCode: string | null;
  message: string;
  param: string | null;
}

export interface RefundRecord {
  id: string;
  amount: number;
  reason: string | null;
  metadata: Record<string, string>;
  createdAt: string;
}

/**
 * One PaymentIntent as the aggregator booked it, with its latest charge and refunds. The amounts
 * are what a reconciler compares with the gateway: authorized (held or taken), captured, refunded.
 */
export interface IntentRecord {
  id: string;
  clientSecret: string;
  livemode: boolean;
  status: IntentStatus;
  captureMethod: "automatic" | "manual";
  amount: number;
  currency: string;
  description: string | null;
  metadata: Record<string, string>;
  paymentMethodId: string | null;
  card: CardOnFile | null;
  /** The latest confirmation's charge: approved or failed. */
  chargeId: string | null;
  lastError: PaymentError | null;
  authorizedAmount: number;
  capturedAmount: number;
  refundedAmount: number;
  /** When the money was taken (a sale's approval, a hold's capture): the day its balance report lists it. */
  capturedAt?: string | null;
  refunds: RefundRecord[];
  cancellationReason: string | null;
  canceledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * The aggregator's books. Each change appends the whole record to a journal file (NDJSON),
 * replayed at start, so the books survive a restart as the acquirer simulator's do.
 */
export class Ledger {
  private readonly intents = new Map<string, IntentRecord>();
  private readonly refundOwners = new Map<string, string>();

  constructor(private readonly journalPath: string | null) {
    if (journalPath && existsSync(journalPath)) {
      for (const line of readFileSync(journalPath, "utf8").split("\n")) {
        if (line.trim() !== "") this.index(JSON.parse(line) as IntentRecord);
      }
    }
  }

  get(id: string): IntentRecord | undefined {
    return this.intents.get(id);
  }

  /** The refund and the PaymentIntent it belongs to. */
  findRefund(id: string): { intent: IntentRecord; refund: RefundRecord } | undefined {
    const intent = this.intents.get(this.refundOwners.get(id) ?? "");
    const refund = intent?.refunds.find((candidate) => candidate.id === id);
    return intent && refund ? { intent, refund } : undefined;
  }

  all(): IntentRecord[] {
    return [...this.intents.values()];
  }

  save(record: IntentRecord): IntentRecord {
    record.updatedAt = new Date().toISOString();
    this.index(record);
    if (this.journalPath) appendFileSync(this.journalPath, `${JSON.stringify(record)}\n`);
    return record;
  }

  private index(record: IntentRecord): void {
    this.intents.set(record.id, record);
    for (const refund of record.refunds) this.refundOwners.set(refund.id, record.id);
  }
}
