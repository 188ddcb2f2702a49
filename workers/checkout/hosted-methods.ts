import { PROCESSOR_REGISTRY } from "../../common/processor-registry.js";
import { ApiError } from "../errors/api-error.js";
import type { HostedMethod } from "./checkout-sessions.schemas.js";

/**
 * The methods a session's page offers, in the merchant's order without repeats, each one the page
 * can finish for this amount's currency: a 400 naming the parameter before any session exists,
 * rather than a button the customer presses only to be refused.
 */
export function hostedMethods(types: readonly HostedMethod[], currency: string): HostedMethod[] {
  const methods = [...new Set(types)];
  if (methods.includes("paypal") && !PROCESSOR_REGISTRY.paypal.currencies.includes(currency)) {
    throw new ApiError("parameter_invalid", {
      param: "payment_method_types",
      message: `PayPal does not take ${currency.toLowerCase()} payments: leave paypal out of payment_method_types.`,
    });
  }
  // UPI moves rupees only (upi-payment-request.ts refuses anything else at the pay).
  if (methods.includes("upi") && currency !== "INR") {
    throw new ApiError("parameter_invalid", {
      param: "payment_method_types",
      message: "UPI payments must be in inr: leave upi out of payment_method_types.",
    });
  }
  return methods;
}
