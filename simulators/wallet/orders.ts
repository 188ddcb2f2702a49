import type { z } from "zod";
import type { Books, CaptureRecord, OrderRecord } from "./books.js";
import { toMinor } from "./money.js";
import { authorizationStatus } from "./payments.js";
import { notFound, PayPalFailure, unprocessable } from "./paypal-error.js";
import { payerIdFor, paypalId } from "./paypal-ids.js";
import { approvalLink } from "./paypal-views.js";
import type { createOrderBody } from "./request-bodies.js";
import { behaviourOf, captureStatusFor } from "./test-payers.js";
import type { WalletEvents } from "./wallet-events.js";
import type { WalletTimers } from "./wallet-timers.js";

export interface EngineDeps {
  books: Books;
  events: WalletEvents;
  timers: WalletTimers;
  base: () => string;
  orderExpiryMs: number;
  pendingCaptureMs: number;
}

/** An authorization may be captured for 29 days (Payments v2, reauthorize: "the 29-day authorization period"). */
const AUTHORIZATION_VALID_MS = 29 * 86_400_000;

export type ApprovalOutcome =
  | { kind: "approved"; order: OrderRecord }
  | { kind: "abandoned"; order: OrderRecord }
  | { kind: "not_waiting"; order: OrderRecord };

const waiting = (order: OrderRecord) => order.status === "CREATED" || order.status === "PAYER_ACTION_REQUIRED";
/** Not yet captured nor authorized: such an order expires, approved or not. */
const expirable = (order: OrderRecord) => waiting(order) || order.status === "APPROVED";
const waitingStatus = (order: OrderRecord) => (order.withPaymentSource ? "PAYER_ACTION_REQUIRED" : "CREATED");

/**
 * Orders v2 as the wallet runs them: create, the payer's approval, then capture (intent CAPTURE)
 * or authorize (intent AUTHORIZE). What the payer's account does at capture is the test payer's
 * behaviour (test-payers.ts). An order neither captured nor authorized in time expires: PayPal
 * then answers 404 for it, as if it never was (the order is kept in the books, marked expired, for
 * the admin API). The clock runs from creation, and again from the payer's approval: PayPal gives
 * the merchant a window after approval too, 3 hours by default, then drops the approval
 * (developer.paypal.com/docs/checkout/apm/reference/handle-uncaptured-payments).
 */
export class Orders {
  constructor(private readonly deps: EngineDeps) {}

  create(body: z.output<typeof createOrderBody>): OrderRecord {
    const unit = body.purchase_units[0]!;
    const context = body.payment_source?.paypal.experience_context ?? body.application_context ?? {};
    const now = new Date();
    const order: OrderRecord = {
      id: paypalId(),
      intent: body.intent,
      status: body.payment_source ? "PAYER_ACTION_REQUIRED" : "CREATED",
      withPaymentSource: body.payment_source !== undefined,
      currency: unit.amount.currency_code,
      amountMinor: toMinor(unit.amount, "/purchase_units/0/amount"),
      referenceId: unit.reference_id ?? "default",
      ...(unit.custom_id ? { customId: unit.custom_id } : {}),
      ...(unit.invoice_id ? { invoiceId: unit.invoice_id } : {}),
      ...(unit.description ? { description: unit.description } : {}),
      experience: {
        ...(context.return_url ? { returnUrl: context.return_url } : {}),
        ...(context.cancel_url ? { cancelUrl: context.cancel_url } : {}),
        ...(context.brand_name ? { brandName: context.brand_name } : {}),
        ...(context.user_action ? { userAction: context.user_action } : {}),
      },
      captures: [],
      authorizations: [],
      refunds: [],
      expiresAt: new Date(now.getTime() + this.deps.orderExpiryMs).toISOString(),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    this.deps.books.save(order);
    this.scheduleExpiry(order);
    return order;
  }

  /** The live order, or PayPal's 404 (also for an order that has expired). */
  get(id: string): OrderRecord {
    const order = this.deps.books.order(id);
    if (order && !order.expiredAt && expirable(order) && Date.parse(order.expiresAt) <= Date.now()) this.expire(order);
    if (!order || order.expiredAt) throw notFound();
    return order;
  }

  /** The payer approved on the approval page as `email`. */
  approve(id: string, email: string): ApprovalOutcome {
    const order = this.get(id);
    if (!waiting(order)) return { kind: "not_waiting", order };
    if (behaviourOf(email) === "abandon") return { kind: "abandoned", order };
    order.status = "APPROVED";
    order.payer = { payerId: payerIdFor(email), email: email.toLowerCase() };
    order.expiresAt = new Date(Date.now() + this.deps.orderExpiryMs).toISOString();
    this.deps.books.save(order);
    this.scheduleExpiry(order);
    this.deps.events.orderApproved(order);
    return { kind: "approved", order };
  }

  capture(id: string): OrderRecord {
    const order = this.approvedFor(id, "CAPTURE");
    const now = new Date().toISOString();
    const capture: CaptureRecord = {
      id: paypalId(),
      ...this.newCaptureStatus(order),
      amountMinor: order.amountMinor,
      finalCapture: true,
      createdAt: now,
      updatedAt: now,
    };
    order.captures.push(capture);
    order.status = "COMPLETED";
    this.deps.books.save(order);
    this.deps.events.capture(order, capture);
    this.schedulePending(order, capture);
    return order;
  }

  authorize(id: string): OrderRecord {
    const order = this.approvedFor(id, "AUTHORIZE");
    const now = new Date();
    const authorization = {
      id: paypalId(),
      status: "CREATED" as const,
      amountMinor: order.amountMinor,
      expiresAt: new Date(now.getTime() + AUTHORIZATION_VALID_MS).toISOString(),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    order.authorizations.push(authorization);
    order.status = "COMPLETED";
    this.deps.books.save(order);
    this.deps.events.authorization(order, authorization);
    return order;
  }

  /** The order is gone now, if nothing was captured or authorized of it; false otherwise. */
  expire(order: OrderRecord): boolean {
    if (order.expiredAt || !expirable(order)) return false;
    order.expiredAt = new Date().toISOString();
    this.deps.books.save(order);
    return true;
  }

  /** After a restart: expiries and pending captures the books still hold are scheduled again. */
  resume(): void {
    for (const order of this.deps.books.all()) {
      if (!order.expiredAt && expirable(order)) this.scheduleExpiry(order);
      for (const capture of order.captures) this.schedulePending(order, capture);
    }
  }

  /** A new capture's status as the payer's account makes it; a PENDING one is under review until its time. */
  newCaptureStatus(order: OrderRecord): Pick<CaptureRecord, "status" | "reason" | "pendingUntil"> {
    const status = captureStatusFor(behaviourOf(order.payer?.email ?? ""));
    if (status !== "PENDING") return { status };
    const pendingUntil = new Date(Date.now() + this.deps.pendingCaptureMs).toISOString();
    return { status, reason: "PENDING_REVIEW", pendingUntil };
  }

  /**
   * A PENDING capture settles at its time: COMPLETED, or DECLINED for pending-deny@ (then what it
   * held of an authorization is free again). PAYMENT.CAPTURE.COMPLETED or .DENIED follows.
   */
  schedulePending(order: OrderRecord, capture: CaptureRecord): void {
    if (capture.status !== "PENDING" || !capture.pendingUntil) return;
    this.deps.timers.at(capture.pendingUntil, () => {
      if (capture.status !== "PENDING") return;
      const denied = behaviourOf(order.payer?.email ?? "") === "pending-deny";
      capture.status = denied ? "DECLINED" : "COMPLETED";
      delete capture.reason;
      delete capture.pendingUntil;
      capture.updatedAt = new Date().toISOString();
      if (capture.status === "COMPLETED") capture.completedAt = capture.updatedAt;
      const authorization = order.authorizations.find((candidate) => candidate.id === capture.authorizationId);
      if (authorization && denied) {
        authorization.status = authorizationStatus(order, authorization);
        authorization.updatedAt = capture.updatedAt;
      }
      this.deps.books.save(order);
      this.deps.events.captureSettled(order, capture);
    });
  }

  private scheduleExpiry(order: OrderRecord): void {
    this.deps.timers.at(order.expiresAt, () => {
      if (Date.parse(order.expiresAt) <= Date.now()) this.expire(order);
    });
  }

  /** The order, approved and not yet acted on, for this intent; else the issue PayPal answers. */
  private approvedFor(id: string, intent: OrderRecord["intent"]): OrderRecord {
    const order = this.get(id);
    if (order.intent !== intent) throw unprocessable("ACTION_DOES_NOT_MATCH_INTENT");
    if (order.captures.length > 0) throw unprocessable("ORDER_ALREADY_CAPTURED");
    if (order.authorizations.length > 0) throw unprocessable("ORDER_ALREADY_AUTHORIZED");
    if (order.status !== "APPROVED") throw unprocessable("ORDER_NOT_APPROVED");
    if (behaviourOf(order.payer?.email ?? "") === "decline") {
      // The instrument is refused: no payment, and the order waits for the payer to pick another.
      order.status = waitingStatus(order);
      delete order.payer;
      order.expiresAt = new Date(Date.now() + this.deps.orderExpiryMs).toISOString();
      this.deps.books.save(order);
      this.scheduleExpiry(order);
      throw new PayPalFailure(
        422,
        [{ issue: "INSTRUMENT_DECLINED" }],
        [{ ...approvalLink(this.deps.base(), order), rel: "redirect", method: "GET" }],
      );
    }
    return order;
  }
}
