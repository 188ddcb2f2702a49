import type { z } from "zod";
import type { CheckoutSessionRecord } from "../../durable-objects/checkout-session/checkout-session-record.js";
import { createPaymentSchema } from "../payments/payments.schemas.js";
import type { payCheckoutSessionSchema } from "./checkout-sessions.schemas.js";

type PayBody = z.output<typeof payCheckoutSessionSchema>;

/** The payment method of the create, by what the page sent. */
function paymentMethod(body: PayBody) {
  switch (body.method) {
    case "card":
      return { type: "card", token: body.token };
    case "paypal":
      return { type: "paypal" };
    case "upi":
      // A collect request to the payer's VPA: they approve it in their UPI app while the page waits.
      return { type: "upi", upi: { flow: "collect", vpa: body.vpa } };
    default: {
      const unreachable: never = body.method;
      throw new Error(`unhandled hosted method ${String(unreachable)}`);
    }
  }
}

/**
 * The payment a page's pay makes, as the merchant would create it with `POST /v1/payments`, and
 * the Idempotency-Key it goes under: by session and card token (the same card submitted twice is
 * one payment; another card after a decline is a new one), by session and PayPal (one PayPal
 * payment per session, which a payer who cancelled at the wallet goes back to), or by session and
 * VPA (the same VPA sent twice is one collect request).
 */
export function hostedPayment(session: CheckoutSessionRecord, body: PayBody, origin: string) {
  const create = createPaymentSchema.parse({
    amount: session.amount,
    currency: session.currency,
    payment_method: paymentMethod(body),
    capture_method: "automatic",
    ...(session.description ? { description: session.description } : {}),
    metadata: { ...session.metadata, checkout_session: session.id },
    // The wallet brings the payer back to this session (through the gateway's wallet return page,
    // which captures the approved order): its return asks the session, which asks the payment.
    ...(body.method === "paypal"
      ? { return_url: `${origin}/checkout/${session.id}/return`, cancel_url: `${origin}/checkout/${session.id}` }
      : {}),
  });
  const keys = { card: body.token, paypal: "paypal", upi: `upi/${body.vpa}` } as const;
  return { create, key: `${session.id}/${keys[body.method]}` };
}
