import { minorUnits } from "./wallet-money.js";
import {
  approvalUrl,
  type WalletAuthorization,
  type WalletCapture,
  type WalletMoney,
  type WalletOrder,
  type WalletRefund,
} from "./wallet-wire.js";

/**
 * What the wallet says of an order and its payments, in the gateway's terms. PayPal's statuses
 * are Orders v2 `order_status` and Payments v2 `capture_status`, `authorization_status`,
 * `refund_status` (wallet-wire.ts); each map is a switch over all of them, so a status added
 * there does not compile until it is given a meaning here.
 */
export interface WalletAmountAnswer {
  amountMinor: number;
  currency: string;
}

/**
 * A capture: `succeeded` once the money is the merchant's (COMPLETED, and still so once refunded
 * in part or in full: refunds are their own records); `pending` not final (PayPal's review, an
 * eCheck: PAYMENT.CAPTURE.COMPLETED or .DENIED follows); `failed` definite, nothing taken.
 */
export type WalletCaptureAnswer =
  | ({ status: "succeeded"; captureId: string } & WalletAmountAnswer)
  | { status: "pending"; captureId: string; reason: string | null }
  | { status: "failed"; captureId: string; declineCode: string };

/** An authorization: money held (`authorized`), not final yet, captured (wholly or in part), voided, or denied. */
export type WalletAuthorizationAnswer =
  | ({ status: "authorized"; authorizationId: string; expiresAt: string | null } & WalletAmountAnswer)
  | { status: "pending"; authorizationId: string; reason: string | null }
  | { status: "captured"; authorizationId: string; partially: boolean }
  | { status: "voided"; authorizationId: string }
  | { status: "failed"; authorizationId: string; declineCode: string };

export type WalletRefundAnswer =
  | ({ status: "succeeded"; refundId: string } & WalletAmountAnswer)
  | { status: "pending"; refundId: string; reason: string | null }
  | { status: "failed"; refundId: string; declineCode: string };

/**
 * An order: waiting for the payer (at `approvalUrl`), approved and waiting for the merchant's
 * capture or authorize, completed (with the capture or the authorization it made, the latest of
 * each; a completed order can hold a declined capture), or voided (its authorization voided with
 * nothing captured). `completed` with neither is an answer that left them out: ask by GET.
 */
export type WalletOrderAnswer =
  | { status: "awaiting_payer"; orderId: string; approvalUrl: string | null }
  | { status: "approved"; orderId: string; payerId: string | null }
  | {
      status: "completed";
      orderId: string;
      capture: WalletCaptureAnswer | null;
      authorization: WalletAuthorizationAnswer | null;
    }
  | { status: "voided"; orderId: string };

/** The amount in minor units; wallet-wire.ts admits only amounts this can convert. */
function amountOf(money: WalletMoney): WalletAmountAnswer {
  const minor = minorUnits(money.value, money.currency_code);
  if (minor === null) throw new Error(`unconvertible wallet amount ${money.value} ${money.currency_code}`);
  return { amountMinor: minor, currency: money.currency_code };
}

const reasonOf = (resource: { status_details?: { reason?: string | undefined } | undefined }) =>
  resource.status_details?.reason ?? null;

export function captureAnswerOf(capture: WalletCapture): WalletCaptureAnswer {
  const captureId = capture.id;
  switch (capture.status) {
    case "COMPLETED":
    case "PARTIALLY_REFUNDED":
    case "REFUNDED":
      return { status: "succeeded", captureId, ...amountOf(capture.amount) };
    case "PENDING":
      return { status: "pending", captureId, reason: reasonOf(capture) };
    case "DECLINED":
      return { status: "failed", captureId, declineCode: "wallet_capture_declined" };
    case "FAILED":
      return { status: "failed", captureId, declineCode: "wallet_capture_failed" };
    default: {
      const unreachable: never = capture.status;
      throw new Error(`unknown capture status ${String(unreachable)}`);
    }
  }
}

export function authorizationAnswerOf(authorization: WalletAuthorization): WalletAuthorizationAnswer {
  const authorizationId = authorization.id;
  switch (authorization.status) {
    case "CREATED":
      return {
        status: "authorized",
        authorizationId,
        expiresAt: authorization.expiration_time ?? null,
        ...amountOf(authorization.amount),
      };
    case "PENDING":
      return { status: "pending", authorizationId, reason: reasonOf(authorization) };
    case "CAPTURED":
      return { status: "captured", authorizationId, partially: false };
    case "PARTIALLY_CAPTURED":
      return { status: "captured", authorizationId, partially: true };
    case "VOIDED":
      return { status: "voided", authorizationId };
    case "DENIED":
      return { status: "failed", authorizationId, declineCode: "wallet_authorization_denied" };
    default: {
      const unreachable: never = authorization.status;
      throw new Error(`unknown authorization status ${String(unreachable)}`);
    }
  }
}

export function refundAnswerOf(refund: WalletRefund): WalletRefundAnswer {
  const refundId = refund.id;
  switch (refund.status) {
    case "COMPLETED":
      return { status: "succeeded", refundId, ...amountOf(refund.amount) };
    case "PENDING":
      return { status: "pending", refundId, reason: reasonOf(refund) };
    case "FAILED":
      return { status: "failed", refundId, declineCode: "wallet_refund_failed" };
    case "CANCELLED":
      return { status: "failed", refundId, declineCode: "wallet_refund_cancelled" };
    default: {
      const unreachable: never = refund.status;
      throw new Error(`unknown refund status ${String(unreachable)}`);
    }
  }
}

export function orderAnswerOf(order: WalletOrder): WalletOrderAnswer {
  const orderId = order.id;
  switch (order.status) {
    case "CREATED":
    case "PAYER_ACTION_REQUIRED":
      return { status: "awaiting_payer", orderId, approvalUrl: approvalUrl(order) };
    // SAVED: "in progress until a capture is made with final_capture" (order_status): the merchant's move, as APPROVED.
    case "APPROVED":
    case "SAVED":
      return { status: "approved", orderId, payerId: order.payer?.payer_id ?? null };
    case "COMPLETED": {
      const payments = order.purchase_units?.[0]?.payments;
      const capture = payments?.captures?.at(-1);
      const authorization = payments?.authorizations?.at(-1);
      return {
        status: "completed",
        orderId,
        capture: capture ? captureAnswerOf(capture) : null,
        authorization: authorization ? authorizationAnswerOf(authorization) : null,
      };
    }
    case "VOIDED":
      return { status: "voided", orderId };
    default: {
      const unreachable: never = order.status;
      throw new Error(`unknown order status ${String(unreachable)}`);
    }
  }
}
