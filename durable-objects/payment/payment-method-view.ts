import type { ProjectedNextAction, ProjectedUpi, ProjectedWallet } from "../../common/payment-event-message.js";
import { qrCodeSvgDataUrl } from "../../common/qr-code-svg.js";
import type { CardSummary } from "../../common/vault-internal-api.js";

const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/**
 * The API's `payment_method`, from the object or from a Postgres row alike: a card by its token
 * and summary, a UPI payment by its flow, the payer's VPA and the switch's ids, a wallet payment
 * by the wallet's order, payer and capture or authorization.
 */
export function paymentMethodView(payment: {
  type: string;
  token: string | null;
  card: CardSummary | null;
  upi: ProjectedUpi | null;
  wallet?: ProjectedWallet | null;
}) {
  if (payment.type === "paypal" && payment.wallet) {
    const { wallet } = payment;
    return {
      type: "paypal" as const,
      paypal: {
        order_id: wallet.order_id,
        payer_id: wallet.payer_id,
        payer_email: wallet.payer_email,
        capture_id: wallet.capture_id,
        authorization_id: wallet.authorization_id,
      },
    };
  }
  if (payment.type !== "upi" || !payment.upi) {
    return { type: payment.type, token: payment.token, card: payment.card ?? null };
  }
  const { upi } = payment;
  return {
    type: "upi" as const,
    upi: {
      flow: upi.flow,
      vpa: upi.vpa,
      payee_vpa: upi.payee_vpa,
      transaction_id: upi.txn_id,
      rrn: upi.rrn,
      expires_at: seconds(upi.expires_at),
    },
  };
}

/** The API's `next_action`: an intent's `upi://pay` URL comes with its QR code, drawn here. */
export function nextActionView(action: ProjectedNextAction | null | undefined) {
  if (!action) return null;
  switch (action.type) {
    case "upi_collect":
      return {
        type: action.type,
        upi_collect: { vpa: action.upi_collect.vpa, expires_at: seconds(action.upi_collect.expires_at) },
      };
    case "upi_intent":
      return {
        type: action.type,
        upi_intent: {
          url: action.upi_intent.url,
          qr_code: { image_url_svg: qrCodeSvgDataUrl(action.upi_intent.url), data: action.upi_intent.url },
          expires_at: seconds(action.upi_intent.expires_at),
        },
      };
    case "redirect_to_url":
      return { type: action.type, redirect_to_url: { ...action.redirect_to_url } };
    default: {
      const unreachable: never = action;
      throw new Error(`unknown next action ${JSON.stringify(unreachable)}`);
    }
  }
}
