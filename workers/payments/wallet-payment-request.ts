import type { z } from "zod";
import { PROCESSOR_REGISTRY } from "../../common/processor-registry.js";
import type { WalletPaymentRequest } from "../../durable-objects/payment/wallet/start-wallet-payment.js";
import { type WalletEnv, walletConfigured } from "../connectors/wallet/wallet-link.js";
import { ApiError } from "../errors/api-error.js";
import { merchantPageUrl } from "../validation/merchant-page-url.js";
import type { createPaymentSchema } from "./payments.schemas.js";

type CreateBody = z.output<typeof createPaymentSchema>;
type PaypalMethod = Extract<CreateBody["payment_method"], { type: "paypal" }>;

/** One of the merchant's pages (merchant-page-url.ts), as PayPal's API wants it: normalized. */
const merchantPage = (text: string, param: string, localDevelopment: boolean) =>
  new URL(merchantPageUrl(text, param, localDevelopment)).href;

/** The URL given at the top level (Stripe's place) or in the payment method, not both differently. */
function given(top: string | undefined, inMethod: string | undefined, name: string): [string | undefined, string] {
  if (top !== undefined && inMethod !== undefined && top !== inMethod) {
    throw new ApiError("parameter_invalid", {
      param: name,
      message: `${name} is given twice, differently (at the top level and in payment_method); give it once.`,
    });
  }
  return top !== undefined ? [top, name] : [inMethod, `payment_method[${name}]`];
}

/**
 * The checks a wallet create must pass before anything is stored (issue 15 item 3), each a 400
 * naming its parameter: the payer's way back (`return_url`, required; `cancel_url`, optional),
 * a currency the wallet takes, and a wallet in the key's mode. The gateway's own return and
 * cancel pages for the payment are what the wallet is given: they bounce the payer to these.
 */
export function walletPaymentRequest(
  env: WalletEnv & Pick<Env, "ENVIRONMENT">,
  livemode: boolean,
  body: CreateBody,
  method: PaypalMethod,
  pages: WalletPaymentRequest["pages"],
): WalletPaymentRequest {
  const localDevelopment = env.ENVIRONMENT === "development";
  const [returnText, returnParam] = given(body.return_url, method.return_url, "return_url");
  const [cancelText, cancelParam] = given(body.cancel_url, method.cancel_url, "cancel_url");
  if (returnText === undefined) {
    throw new ApiError("parameter_missing", {
      param: "return_url",
      message: "return_url is required for a paypal payment: where the payer is sent back after the wallet.",
    });
  }
  const returnUrl = merchantPage(returnText, returnParam, localDevelopment);
  const cancelUrl = cancelText === undefined ? null : merchantPage(cancelText, cancelParam, localDevelopment);
  if (!PROCESSOR_REGISTRY.paypal.currencies.includes(body.currency)) {
    throw new ApiError("parameter_invalid", {
      param: "currency",
      message: `PayPal does not take ${body.currency.toLowerCase()} payments.`,
    });
  }
  if (!walletConfigured(env, livemode)) {
    throw new ApiError("payment_method_unavailable", {
      param: "payment_method[type]",
      message: `PayPal is not enabled in ${livemode ? "live" : "test"} mode here.`,
    });
  }
  return { returnUrl, cancelUrl, pages };
}

/** A redirect's pages belong to wallet payments: on a card or UPI payment they would be silently ignored. */
export function refuseStrayReturnUrls(body: CreateBody): void {
  for (const name of ["return_url", "cancel_url"] as const) {
    if (body[name] !== undefined && body.payment_method.type !== "paypal") {
      throw new ApiError("parameter_invalid", {
        param: name,
        message: `${name} applies to paypal payments only.`,
      });
    }
  }
}
