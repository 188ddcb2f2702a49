import type { AuthorizationRecord, CaptureRecord, OrderRecord, RefundRecord } from "./books.js";
import { toMoney } from "./money.js";
import { authorizationView, captureView, orderView, refundView } from "./paypal-views.js";
import type { Webhooks } from "./webhooks.js";

/**
 * The events the wallet announces, each with the resource as it now stands (PayPal's event
 * names: developer.paypal.com/api/rest/webhooks/event-names). PayPal has two for a capture that
 * fails: PAYMENT.CAPTURE.DECLINED ("a payment capture is declined": refused as it is made) and
 * PAYMENT.CAPTURE.DENIED ("a payment capture is denied": a PENDING one refused later). An order
 * that expires announces nothing: Orders v2 has no event for it, so the gateway learns it by GET
 * (a 404).
 */
export class WalletEvents {
  constructor(
    private readonly webhooks: Webhooks,
    private readonly base: () => string,
  ) {}

  orderApproved(order: OrderRecord): void {
    this.webhooks.emit({
      type: "CHECKOUT.ORDER.APPROVED",
      resourceType: "checkout-order",
      summary: "An order has been approved by buyer",
      resource: orderView(this.base(), order),
      orderId: order.id,
    });
  }

  /**
   * A new capture: PAYMENT.CAPTURE.COMPLETED, .PENDING, or .DECLINED for one refused at once
   * (deny@: a DECLINED capture inside a COMPLETED order).
   */
  capture(order: OrderRecord, capture: CaptureRecord): void {
    const verb = capture.status === "PENDING" ? "PENDING" : capture.status === "DECLINED" ? "DECLINED" : "COMPLETED";
    this.emitCapture(order, capture, verb);
  }

  /** A PENDING capture settled: PAYMENT.CAPTURE.COMPLETED, or .DENIED when it was refused after all. */
  captureSettled(order: OrderRecord, capture: CaptureRecord): void {
    this.emitCapture(order, capture, capture.status === "DECLINED" ? "DENIED" : "COMPLETED");
  }

  refunded(order: OrderRecord, refund: RefundRecord): void {
    const amount = toMoney(refund.amountMinor, order.currency);
    this.webhooks.emit({
      type: "PAYMENT.CAPTURE.REFUNDED",
      resourceType: "refund",
      summary: `A ${amount.value} ${amount.currency_code} capture payment was refunded`,
      resource: refundView(this.base(), order, refund),
      orderId: order.id,
    });
  }

  authorization(order: OrderRecord, authorization: AuthorizationRecord): void {
    const voided = authorization.status === "VOIDED";
    this.webhooks.emit({
      type: voided ? "PAYMENT.AUTHORIZATION.VOIDED" : "PAYMENT.AUTHORIZATION.CREATED",
      resourceType: "authorization",
      summary: voided ? "A payment authorization was voided" : "A payment authorization was created",
      resource: authorizationView(this.base(), order, authorization),
      orderId: order.id,
    });
  }

  private emitCapture(
    order: OrderRecord,
    capture: CaptureRecord,
    verb: "COMPLETED" | "PENDING" | "DECLINED" | "DENIED",
  ) {
    const amount = toMoney(capture.amountMinor, order.currency);
    this.webhooks.emit({
      type: `PAYMENT.CAPTURE.${verb}`,
      resourceType: "capture",
      summary: `Payment ${verb.toLowerCase()} for ${amount.value} ${amount.currency_code}`,
      resource: captureView(this.base(), order, capture),
      orderId: order.id,
    });
  }
}
