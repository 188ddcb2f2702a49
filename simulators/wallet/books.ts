import { appendFileSync, existsSync, readFileSync } from "node:fs";

/** Orders v2 order statuses (developer.paypal.com/api/orders/v2/definitions/order_status) this simulator reaches. */
export type OrderStatus = "CREATED" | "PAYER_ACTION_REQUIRED" | "APPROVED" | "COMPLETED" | "VOIDED";
/** Payments v2 statuses (the `capture_status`, `authorization_status` and `refund_status` schemas). */
export type CaptureStatus = "COMPLETED" | "DECLINED" | "PENDING" | "PARTIALLY_REFUNDED" | "REFUNDED";
export type AuthorizationStatus = "CREATED" | "CAPTURED" | "PARTIALLY_CAPTURED" | "VOIDED";

export interface Payer {
  payerId: string;
  email: string;
}

export interface CaptureRecord {
  id: string;
  status: CaptureStatus;
  amountMinor: number;
  finalCapture: boolean;
  authorizationId?: string;
  /** Why it is PENDING or DECLINED (`status_details.reason`). */
  reason?: string;
  /** A pending capture completes then. */
  pendingUntil?: string;
  /** When a capture that was PENDING completed (one COMPLETED at once completed at `createdAt`). */
  completedAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface AuthorizationRecord {
  id: string;
  status: AuthorizationStatus;
  amountMinor: number;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface RefundRecord {
  id: string;
  captureId: string;
  status: "COMPLETED";
  amountMinor: number;
  /** The refund's own references, from its request (not the order's). */
  customId?: string;
  invoiceId?: string;
  noteToPayer?: string;
  createdAt: string;
  updatedAt: string;
}

/** Where the payer goes and comes back: `payment_source.paypal.experience_context` (or the older `application_context`). */
export interface Experience {
  returnUrl?: string;
  cancelUrl?: string;
  brandName?: string;
  userAction?: "CONTINUE" | "PAY_NOW";
}

/** One order with everything it gave rise to: one purchase unit (the simulator books no more), its payments. */
export interface OrderRecord {
  id: string;
  intent: "CAPTURE" | "AUTHORIZE";
  status: OrderStatus;
  /** Created with a `payment_source`: it waits in PAYER_ACTION_REQUIRED behind a `payer-action` link, else CREATED behind `approve`. */
  withPaymentSource: boolean;
  currency: string;
  amountMinor: number;
  referenceId: string;
  customId?: string;
  invoiceId?: string;
  description?: string;
  experience: Experience;
  payer?: Payer;
  captures: CaptureRecord[];
  authorizations: AuthorizationRecord[];
  refunds: RefundRecord[];
  /** An order the payer has not approved by then is gone (PayPal forgets it: 404). */
  expiresAt: string;
  expiredAt?: string;
  createdAt: string;
  updatedAt: string;
}

export type PaymentKind = "capture" | "authorization" | "refund";

/**
 * The wallet's books: every order with its captures, authorizations and refunds. Each change
 * appends the whole order to a journal (JSONL) replayed at start, so the books survive a restart
 * as the other simulators' do.
 */
export class Books {
  private readonly orders = new Map<string, OrderRecord>();
  /** Payment id -> its order. */
  private readonly owners = new Map<string, string>();

  constructor(private readonly journalPath: string | null) {
    if (journalPath && existsSync(journalPath)) {
      for (const line of readFileSync(journalPath, "utf8").split("\n")) {
        if (line.trim() !== "") this.index(JSON.parse(line) as OrderRecord);
      }
    }
  }

  order(id: string): OrderRecord | undefined {
    return this.orders.get(id);
  }

  /** The order a capture, authorization or refund belongs to. */
  owner(paymentId: string): OrderRecord | undefined {
    return this.orders.get(this.owners.get(paymentId) ?? "");
  }

  all(): OrderRecord[] {
    return [...this.orders.values()];
  }

  save(order: OrderRecord): OrderRecord {
    order.updatedAt = new Date().toISOString();
    this.index(order);
    if (this.journalPath) appendFileSync(this.journalPath, `${JSON.stringify(order)}\n`);
    return order;
  }

  private index(order: OrderRecord): void {
    this.orders.set(order.id, order);
    for (const payment of [...order.captures, ...order.authorizations, ...order.refunds]) {
      this.owners.set(payment.id, order.id);
    }
  }
}
