import type { AuthorizationRecord, CaptureRecord, OrderRecord, RefundRecord } from "./books.js";
import { toMoney } from "./money.js";

/**
 * The books rendered as PayPal's resources (Orders v2 `order`, Payments v2 `capture`,
 * `authorization`, `refund`), with HATEOAS links under `base`, the simulator's API URL. Seller
 * protection is always ELIGIBLE: there is no dispute process behind it.
 */
type Link = { href: string; rel: string; method: "GET" | "POST" | "PATCH" };

const SELLER_PROTECTION = { status: "ELIGIBLE", dispute_categories: ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"] };

const times = (record: { createdAt: string; updatedAt: string }) => ({
  create_time: record.createdAt,
  update_time: record.updatedAt,
});
const refs = (order: OrderRecord) => ({
  ...(order.customId ? { custom_id: order.customId } : {}),
  ...(order.invoiceId ? { invoice_id: order.invoiceId } : {}),
});

/** The page the payer approves on: `payer-action` when created with a payment_source, else `approve`. */
export function approvalLink(base: string, order: OrderRecord): Link {
  return {
    href: `${base}/checkoutnow?token=${order.id}`,
    rel: order.withPaymentSource ? "payer-action" : "approve",
    method: "GET",
  };
}

function orderLinks(base: string, order: OrderRecord): Link[] {
  const self = `${base}/v2/checkout/orders/${order.id}`;
  const links: Link[] = [{ href: self, rel: "self", method: "GET" }];
  if (order.status === "CREATED" || order.status === "PAYER_ACTION_REQUIRED") links.push(approvalLink(base, order));
  if (order.status === "APPROVED") {
    const action = order.intent === "CAPTURE" ? "capture" : "authorize";
    links.push({ href: `${self}/${action}`, rel: action, method: "POST" });
  }
  return links;
}

/** What `Prefer: return=minimal` (the default on create) answers: id, status, links. */
export function minimalOrderView(base: string, order: OrderRecord) {
  return {
    id: order.id,
    status: order.status,
    ...(order.withPaymentSource ? { payment_source: { paypal: {} } } : {}),
    links: orderLinks(base, order),
  };
}

export function orderView(base: string, order: OrderRecord) {
  const payments = {
    ...(order.authorizations.length
      ? { authorizations: order.authorizations.map((a) => authorizationView(base, order, a)) }
      : {}),
    ...(order.captures.length ? { captures: order.captures.map((c) => captureView(base, order, c)) } : {}),
    ...(order.refunds.length ? { refunds: order.refunds.map((r) => refundView(base, order, r)) } : {}),
  };
  const payer = order.payer && {
    email_address: order.payer.email,
    payer_id: order.payer.payerId,
    name: { given_name: "Test", surname: order.payer.email.split("@")[0] ?? "payer" },
  };
  return {
    id: order.id,
    intent: order.intent,
    status: order.status,
    ...(payer
      ? {
          payment_source: {
            paypal: {
              email_address: payer.email_address,
              account_id: payer.payer_id,
              account_status: "VERIFIED",
              name: payer.name,
            },
          },
        }
      : {}),
    purchase_units: [
      {
        reference_id: order.referenceId,
        amount: toMoney(order.amountMinor, order.currency),
        ...refs(order),
        ...(order.description ? { description: order.description } : {}),
        ...(Object.keys(payments).length ? { payments } : {}),
      },
    ],
    ...(payer ? { payer } : {}),
    ...times(order),
    links: orderLinks(base, order),
  };
}

export function captureView(base: string, order: OrderRecord, capture: CaptureRecord) {
  const self = `${base}/v2/payments/captures/${capture.id}`;
  const links: Link[] = [{ href: self, rel: "self", method: "GET" }];
  if (capture.status === "COMPLETED" || capture.status === "PARTIALLY_REFUNDED") {
    links.push({ href: `${self}/refund`, rel: "refund", method: "POST" });
  }
  links.push(
    capture.authorizationId
      ? { href: `${base}/v2/payments/authorizations/${capture.authorizationId}`, rel: "up", method: "GET" }
      : { href: `${base}/v2/checkout/orders/${order.id}`, rel: "up", method: "GET" },
  );
  return {
    id: capture.id,
    status: capture.status,
    ...(capture.reason ? { status_details: { reason: capture.reason } } : {}),
    amount: toMoney(capture.amountMinor, order.currency),
    final_capture: capture.finalCapture,
    seller_protection: SELLER_PROTECTION,
    ...refs(order),
    supplementary_data: {
      related_ids: {
        order_id: order.id,
        ...(capture.authorizationId ? { authorization_id: capture.authorizationId } : {}),
      },
    },
    links,
    ...times(capture),
  };
}

export function authorizationView(base: string, order: OrderRecord, authorization: AuthorizationRecord) {
  const self = `${base}/v2/payments/authorizations/${authorization.id}`;
  const open = authorization.status === "CREATED" || authorization.status === "PARTIALLY_CAPTURED";
  const links: Link[] = [{ href: self, rel: "self", method: "GET" }];
  if (open) {
    links.push({ href: `${self}/capture`, rel: "capture", method: "POST" });
    links.push({ href: `${self}/void`, rel: "void", method: "POST" });
  }
  links.push({ href: `${base}/v2/checkout/orders/${order.id}`, rel: "up", method: "GET" });
  return {
    id: authorization.id,
    status: authorization.status,
    amount: toMoney(authorization.amountMinor, order.currency),
    seller_protection: SELLER_PROTECTION,
    expiration_time: authorization.expiresAt,
    ...refs(order),
    supplementary_data: { related_ids: { order_id: order.id } },
    links,
    ...times(authorization),
  };
}

export function refundView(base: string, order: OrderRecord, refund: RefundRecord) {
  return {
    id: refund.id,
    status: refund.status,
    amount: toMoney(refund.amountMinor, order.currency),
    ...(refund.customId ? { custom_id: refund.customId } : {}),
    ...(refund.invoiceId ? { invoice_id: refund.invoiceId } : {}),
    ...(refund.noteToPayer ? { note_to_payer: refund.noteToPayer } : {}),
    links: [
      { href: `${base}/v2/payments/refunds/${refund.id}`, rel: "self", method: "GET" },
      { href: `${base}/v2/payments/captures/${refund.captureId}`, rel: "up", method: "GET" },
    ],
    ...times(refund),
  };
}
