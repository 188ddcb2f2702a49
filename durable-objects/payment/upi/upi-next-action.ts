import type { ProjectedNextAction } from "../../../common/payment-event-message.js";
import { upiPayUrl } from "../../../common/upi/upi-intent-url.js";
import type { PaymentRecord } from "../payment-record.js";

/**
 * What the payer must do, from the payment itself: approve the collect request their app was
 * sent (by when), or open the `upi://pay` URL (NPCI UPI Linking Specification: pa, pn, tr, am,
 * cu, tn) from a button or a scanned QR code, `tr` being the switch transaction it pays.
 */
export function upiNextAction(payment: PaymentRecord): ProjectedNextAction | null {
  const upi = payment.upi;
  if (!upi) return null;
  if (upi.flow === "collect") {
    return { type: "upi_collect", upi_collect: { vpa: upi.vpa ?? "", expires_at: upi.expires_at } };
  }
  const url = upiPayUrl({
    pa: upi.payee_vpa,
    pn: upi.payee_name,
    tr: upi.txn_id,
    amountPaise: payment.amount,
    ...(payment.description ? { tn: payment.description.slice(0, 50) } : {}),
  });
  return { type: "upi_intent", upi_intent: { url, expires_at: upi.expires_at } };
}
