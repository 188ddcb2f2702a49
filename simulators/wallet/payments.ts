import type { z } from "zod";
import type {
  AuthorizationRecord,
  AuthorizationStatus,
  CaptureRecord,
  OrderRecord,
  PaymentKind,
  RefundRecord,
} from "./books.js";
import { toMinor } from "./money.js";
import type { EngineDeps, Orders } from "./orders.js";
import { notFound, unprocessable } from "./paypal-error.js";
import { paypalId } from "./paypal-ids.js";
import type { captureAuthorizationBody, refundBody } from "./request-bodies.js";

type Found<T> = { order: OrderRecord; record: T };

/** Money a capture still holds: what it took, less what was refunded of it. */
const refundedOf = (order: OrderRecord, capture: CaptureRecord) =>
  order.refunds
    .filter((refund) => refund.captureId === capture.id)
    .reduce((sum, refund) => sum + refund.amountMinor, 0);

/** What an authorization has given: its captures that were not declined. */
const capturesOf = (order: OrderRecord, authorization: AuthorizationRecord) =>
  order.captures.filter((capture) => capture.authorizationId === authorization.id && capture.status !== "DECLINED");
const capturedOf = (order: OrderRecord, authorization: AuthorizationRecord) =>
  capturesOf(order, authorization).reduce((sum, capture) => sum + capture.amountMinor, 0);

/** An open authorization's status by its captures: CAPTURED once all of it is taken or a final capture was made. */
export function authorizationStatus(order: OrderRecord, authorization: AuthorizationRecord): AuthorizationStatus {
  if (authorization.status === "VOIDED") return "VOIDED";
  const captured = capturedOf(order, authorization);
  const final = capturesOf(order, authorization).some((capture) => capture.finalCapture);
  if (final || captured >= authorization.amountMinor) return "CAPTURED";
  return captured > 0 ? "PARTIALLY_CAPTURED" : "CREATED";
}

/**
 * Payments v2: captures of an authorization, voids, refunds, and reading each by id. The issue
 * names are PayPal's, from the Payments v2 OpenAPI's 422 schemas (authorizations.capture,
 * authorizations.void, captures.refund). An authorization is captured up to its amount (PayPal
 * allows up to 115% in some markets; the simulator does not).
 */
export class Payments {
  constructor(
    private readonly deps: EngineDeps,
    private readonly orders: Orders,
  ) {}

  find(kind: "capture", id: string): Found<CaptureRecord>;
  find(kind: "authorization", id: string): Found<AuthorizationRecord>;
  find(kind: "refund", id: string): Found<RefundRecord>;
  find(kind: PaymentKind, id: string): Found<CaptureRecord | AuthorizationRecord | RefundRecord> {
    const order = this.deps.books.owner(id);
    const list = !order
      ? []
      : kind === "capture"
        ? order.captures
        : kind === "refund"
          ? order.refunds
          : order.authorizations;
    const record = list.find((candidate) => candidate.id === id);
    if (!order || !record) throw notFound();
    return { order, record };
  }

  captureAuthorization(id: string, body: z.output<typeof captureAuthorizationBody>): Found<CaptureRecord> {
    const { order, record: authorization } = this.find("authorization", id);
    if (authorization.status === "VOIDED") throw unprocessable("AUTHORIZATION_VOIDED");
    if (authorization.status === "CAPTURED") throw unprocessable("AUTHORIZATION_ALREADY_CAPTURED");
    if (Date.parse(authorization.expiresAt) <= Date.now()) throw unprocessable("AUTHORIZATION_EXPIRED");
    if (body.amount && body.amount.currency_code !== order.currency) {
      throw unprocessable("AUTH_CAPTURE_CURRENCY_MISMATCH", "/amount/currency_code");
    }
    const remaining = authorization.amountMinor - capturedOf(order, authorization);
    const amount = body.amount ? toMinor(body.amount, "/amount") : remaining;
    if (amount > remaining) throw unprocessable("MAX_CAPTURE_AMOUNT_EXCEEDED", "/amount/value");
    const now = new Date().toISOString();
    const capture: CaptureRecord = {
      id: paypalId(),
      ...this.orders.newCaptureStatus(order),
      amountMinor: amount,
      finalCapture: body.final_capture ?? false,
      authorizationId: authorization.id,
      createdAt: now,
      updatedAt: now,
    };
    order.captures.push(capture);
    if (capture.status !== "DECLINED") {
      authorization.status = authorizationStatus(order, authorization);
      authorization.updatedAt = now;
    }
    this.deps.books.save(order);
    this.deps.events.capture(order, capture);
    this.orders.schedulePending(order, capture);
    return { order, record: capture };
  }

  /** Voids what is left of an authorization; the order is VOIDED when nothing was captured of it. */
  voidAuthorization(id: string): Found<AuthorizationRecord> {
    const { order, record: authorization } = this.find("authorization", id);
    if (authorization.status === "VOIDED") throw unprocessable("PREVIOUSLY_VOIDED");
    if (authorization.status === "CAPTURED") throw unprocessable("PREVIOUSLY_CAPTURED");
    authorization.status = "VOIDED";
    authorization.updatedAt = new Date().toISOString();
    if (capturedOf(order, authorization) === 0) order.status = "VOIDED";
    this.deps.books.save(order);
    this.deps.events.authorization(order, authorization);
    return { order, record: authorization };
  }

  /** An empty body refunds what is left of the capture; several partial refunds may follow each other. */
  refund(captureId: string, body: z.output<typeof refundBody>): Found<RefundRecord> {
    const { order, record: capture } = this.find("capture", captureId);
    if (capture.status === "PENDING") throw unprocessable("PENDING_CAPTURE");
    if (capture.status === "DECLINED") throw unprocessable("REFUND_NOT_ALLOWED");
    if (capture.status === "REFUNDED") throw unprocessable("CAPTURE_FULLY_REFUNDED");
    if (body.amount && body.amount.currency_code !== order.currency) {
      throw unprocessable("REFUND_CAPTURE_CURRENCY_MISMATCH", "/amount/currency_code");
    }
    const remaining = capture.amountMinor - refundedOf(order, capture);
    const amount = body.amount ? toMinor(body.amount, "/amount") : remaining;
    if (amount > remaining) throw unprocessable("REFUND_AMOUNT_EXCEEDED", "/amount/value");
    const now = new Date().toISOString();
    const refund: RefundRecord = {
      id: paypalId(),
      captureId: capture.id,
      status: "COMPLETED",
      amountMinor: amount,
      ...(body.custom_id ? { customId: body.custom_id } : {}),
      ...(body.invoice_id ? { invoiceId: body.invoice_id } : {}),
      ...(body.note_to_payer ? { noteToPayer: body.note_to_payer } : {}),
      createdAt: now,
      updatedAt: now,
    };
    order.refunds.push(refund);
    capture.status = amount === remaining ? "REFUNDED" : "PARTIALLY_REFUNDED";
    capture.updatedAt = now;
    this.deps.books.save(order);
    this.deps.events.refunded(order, refund);
    return { order, record: refund };
  }
}
