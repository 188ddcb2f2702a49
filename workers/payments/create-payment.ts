import type { Context } from "hono";
import type { z } from "zod";
import type { CreatePaymentInput } from "../../durable-objects/payment/payment.object.js";
import { paymentObjectName } from "../../durable-objects/payment/payment-object-name.js";
import type { PaymentCaller } from "../../durable-objects/payment/payment-record.js";
import type { UpiPaymentRequest } from "../../durable-objects/payment/upi/start-upi-payment.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { timedStage } from "../middleware/server-timing/timing-scope.js";
import { routePayment } from "./payment-routing.js";
import type { createPaymentSchema } from "./payments.schemas.js";
import { requestHash } from "./request-hash.js";
import { upiPaymentRequest } from "./upi-payment-request.js";
import { refuseStrayReturnUrls, walletPaymentRequest } from "./wallet-payment-request.js";

type CreatePaymentBody = z.output<typeof createPaymentSchema>;

/** The request's `Idempotency-Key`, checked (1-255 characters), or null without one. */
export function idempotencyKey(c: Context<AppEnv>): string | null {
  const key = c.req.header("Idempotency-Key");
  if (key === undefined) return null;
  if (key.length < 1 || key.length > 255) {
    throw new ApiError("parameter_invalid", {
      param: "Idempotency-Key",
      message: "Idempotency-Key must be 1-255 characters.",
    });
  }
  return key;
}

/** A create ready to send: the payment's object and what to ask it. */
export interface PreparedCreate {
  objectId: DurableObjectId;
  input: CreatePaymentInput;
}

/**
 * Everything `POST /v1/payments` does before it reaches the payment's object, shared with the
 * hosted checkout (workers/checkout/) so a checkout's payment is made exactly as a merchant's own:
 * the object named by (merchant, mode, Idempotency-Key), the method's checks, the routing decision
 * and the request hash the key is bound to (DESIGN invariant 3).
 */
export async function prepareCreate(
  c: Context<AppEnv>,
  caller: PaymentCaller,
  body: CreatePaymentBody,
  key: string | null,
  apiKeyId: string | null,
): Promise<PreparedCreate> {
  // With a key, its object, so creation is exactly once; without one, a fresh object.
  const objectId = c.env.PAYMENTS.idFromName(
    paymentObjectName(caller.merchantId, caller.livemode, key ?? crypto.randomUUID()),
  );
  const paymentId = `pay_${objectId.toString()}`;
  const metadata = body.metadata ?? {};
  const method = body.payment_method;
  const token = method.type === "card" ? method.token : null;
  const upiRequest = method.type === "upi" ? upiPaymentRequest(c.env, caller.livemode, body, method) : null;
  refuseStrayReturnUrls(body);
  // The wallet sends the payer back to the gateway's pages for this payment (wallet-pages.routes.ts).
  const origin = new URL(c.req.url).origin;
  const walletRequest =
    method.type === "paypal"
      ? walletPaymentRequest(c.env, caller.livemode, body, method, {
          return_url: `${origin}/wallet/return/${paymentId}`,
          cancel_url: `${origin}/wallet/cancel/${paymentId}`,
        })
      : null;
  // Storage time: the routing facts from Postgres (the decision itself is pure, microseconds).
  const { routing, merchantName } = await timedStage("storage", () =>
    routePayment(c, caller, paymentId, {
      method: method.type,
      amount: body.amount,
      currency: body.currency,
      token,
      metadata,
    }),
  );
  // The payer's app shows the merchant's name; its id when Postgres could not say.
  const upi = upiRequest
    ? ({ ...upiRequest, payeeName: merchantName ?? caller.merchantId } as UpiPaymentRequest)
    : null;
  return {
    objectId,
    input: {
      ...caller,
      requestId: c.get("requestId"),
      apiKeyId,
      paymentId,
      idempotencyKey: key,
      requestHash: await requestHash("create", body),
      amount: body.amount,
      currency: body.currency,
      captureMethod: body.capture_method,
      token,
      upi,
      // The approval page shows the merchant's name, as the payer's UPI app does.
      walletRequest: walletRequest && { ...walletRequest, brandName: merchantName },
      description: body.description ?? null,
      metadata,
      customerId: body.customer ?? null,
      routing,
    },
  };
}
