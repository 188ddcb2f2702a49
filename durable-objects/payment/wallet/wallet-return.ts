import type { PaymentRecord } from "../payment-record.js";

/**
 * How the payer's trip went, for the merchant's return page (Stripe's `redirect_status`):
 * `succeeded` once the money is captured or held, `failed` when the payment ended without it,
 * `canceled` when the payer cancelled at the wallet and the payment still waits (it lapses with
 * its order, or the payer goes back and approves), `processing` while the gateway is still at it.
 */
export function redirectStatus(payment: PaymentRecord, canceled: boolean): string {
  switch (payment.status) {
    case "authorized":
    case "captured":
    case "partially_refunded":
    case "refunded":
      return "succeeded";
    case "failed":
    case "expired":
    case "voided":
      return "failed";
    case "requires_action":
      return canceled ? "canceled" : "processing";
    default:
      return "processing";
  }
}

/**
 * The merchant's page the gateway's hosted return page bounces the payer to: its `return_url`
 * (its `cancel_url`, if it gave one, after a cancel) with `payment_id` and `redirect_status`
 * added, so a merchant needs no server code for the redirect. Only the merchant's own URL, as
 * checked at creation: never one from the request (no open redirect).
 */
export function walletReturnUrl(payment: PaymentRecord, canceled: boolean): string | null {
  const wallet = payment.wallet;
  if (!wallet) return null;
  const target = new URL(canceled ? (wallet.cancel_url ?? wallet.return_url) : wallet.return_url);
  target.searchParams.set("payment_id", payment.id);
  target.searchParams.set("redirect_status", redirectStatus(payment, canceled));
  return target.href;
}
